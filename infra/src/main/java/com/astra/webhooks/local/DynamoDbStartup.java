package com.astra.webhooks.local;

import com.astra.webhooks.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Starting the runner's DynamoDB (dynoxide) and waiting until it answers. Each refusal names what
 * the user can do about it: a missing binary, a taken port, a process that died while starting.
 */
final class DynamoDbStartup {

    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private DynamoDbStartup() {}

    /** Looked up before anything starts, so a missing binary costs no half-started runner. */
    static Path locate() {
        return Dynoxide.locate().orElseThrow(() -> new LocalRunner.StartupException(
                "dynoxide not found (looked at $DYNOXIDE_BIN and infra/" + Dynoxide.NPM_PATH
                        + "; run `mvn package` or `npm ci` in infra/, or set AWS_ENDPOINT_URL_DYNAMODB=http://host:port"
                        + " to use another DynamoDB)"));
    }

    /** Starts dynoxide on {@code port} (0: any free one), keeping its files in {@code dataDir} unless null. */
    static Dynoxide start(Path binary, int port, Path dataDir) {
        int chosen = port == 0 ? Ports.freePort() : port;
        Ports.requireFree(chosen, "DynamoDB Local", "--dynamodb-port", Settings.AWS_ENDPOINT_URL_DYNAMODB);
        try {
            return Dynoxide.start(binary, chosen, dataDir);
        } catch (IOException e) {
            throw new LocalRunner.StartupException("cannot start " + binary + ": " + e.getMessage());
        }
    }

    /**
     * dynoxide binds asynchronously; the first ListTables that answers means it is ready. An
     * external DynamoDB ({@code started} null) gets the same wait, without the liveness check.
     */
    static void awaitReady(DynamoDbClient dynamo, String endpoint, Dynoxide started) {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        SdkException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                dynamo.listTables(b -> b.limit(1));
                return;
            } catch (SdkException e) {
                last = e;
            }
            if (started != null && !started.isAlive()) {
                throw new LocalRunner.StartupException("dynoxide exited during startup (port in use?): " + started.logTail());
            }
            pause();
        }
        throw new LocalRunner.StartupException("DynamoDB at " + endpoint + " did not answer within 20 s: "
                + (last == null ? "" : last.getMessage()));
    }

    /** Between two probes: a polling interval, not synchronisation (the probe's answer decides). */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRunner.StartupException("interrupted while starting");
        }
    }
}
