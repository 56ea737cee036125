package com.astra.webhooks.local;


import com.astra.webhooks.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the runner in a child JVM, for the tests that must kill it for real (kill -9), and
 * waits for its banner. Everything it prints is kept in {@code output} for failure messages.
 */
final class ChildRunner {
    private ChildRunner() {}

    /**
     * The runner's command line on a data dir and fixed ports; {@code template} null means the
     * bundled template.yaml, with its real 360 s visibility timeout.
     */
    static ProcessBuilder command(Path dataDir, Path template, int httpPort, int sqsPort, int dynamoPort, int pollers) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                LocalRunner.class.getName(),
                "--data-dir", dataDir.toString(),
                "--http-port", Integer.toString(httpPort),
                "--sqs-port", Integer.toString(sqsPort), "--dynamodb-port", Integer.toString(dynamoPort),
                "--pollers", Integer.toString(pollers)));
        if (template != null) {
            command.addAll(List.of("--template", template.toString()));
        }
        return new ProcessBuilder(command);
    }

    /**
     * A delivering runner with the integration tests' settings: 2 pollers (with the template's
     * batches of 10, at most 20 messages in flight), loopback receivers, 2 s delivery timeout
     * (claim lease 32 s), retries every second.
     */
    static Process startDelivering(Path dataDir, int httpPort, int sqsPort, int dynamoPort, String secret,
                                   StringBuilder output) throws IOException {
        ProcessBuilder pb = command(dataDir, null, httpPort, sqsPort, dynamoPort, 2);
        Map<String, String> env = pb.environment();
        env.put(Settings.JWT_SECRET, secret);
        env.put(Settings.ALLOW_PRIVATE_TARGETS, "true");
        env.put(Settings.REQUIRE_HTTPS, "false");
        env.put(Settings.RETRY_SCHEDULE, "1s,1s,1s,1s,1s,1s,1s");
        env.put(Settings.DELIVERY_TIMEOUT_MS, "2000");
        return start(pb, output);
    }

    /** SIGTERM, and SIGKILL if that does not end it; then nothing started on the data dir may outlive the test. */
    static void stop(Process runner, Path dataDir) throws InterruptedException {
        if (runner != null && runner.isAlive()) {
            runner.destroy();
            if (!runner.waitFor(30, TimeUnit.SECONDS)) {
                runner.destroyForcibly();
                runner.waitFor(10, TimeUnit.SECONDS);
            }
        }
        processesOn(dataDir).forEach(ProcessHandle::destroyForcibly);
    }

    /** The runner JVM and dynoxide (and its watchdog) all name the data dir on their command line. */
    static List<ProcessHandle> processesOn(Path dataDir) {
        String dir = dataDir.toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir)).orElse(false)
                        || p.info().arguments().map(a -> String.join(" ", a).contains(dir)).orElse(false))
                .toList();
    }

    static void awaitPortFree(int port) {
        Eventually.await(Duration.ofSeconds(15), "port " + port + " to be free", () -> LocalRunner.isFree(port));
    }

    static Process start(ProcessBuilder builder, StringBuilder output) throws IOException {
        Process p = builder.redirectErrorStream(true).start();
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("local runner is up")) {
                        up.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
            up.complete(false);
        }, "child-runner-output");
        reader.setDaemon(true);
        reader.start();
        boolean started;
        try {
            started = up.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            started = false;
        }
        if (!started) {
            p.destroyForcibly();
            synchronized (output) {
                throw new AssertionError("runner did not start:\n" + output);
            }
        }
        return p;
    }
}
