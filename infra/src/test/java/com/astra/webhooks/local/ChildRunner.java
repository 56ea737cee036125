package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The runner in a child JVM, for the tests that must kill it for real (kill -9, SIGTERM under
 * load): {@code @RegisterExtension final ChildRunner child = new ChildRunner();}. Each test gets
 * its own ports, its own data dir and one output that spans every start, so a restart finds the
 * same state at the same addresses, as an operator's restart would, and a failure message shows
 * what both lives printed.
 *
 * <p>After each test whatever still runs on the data dir is stopped ({@link #stop()}) and the
 * data dir removed once nothing runs on it: a runner or dynoxide left behind would hold its ports
 * and write into a deleted dir while the next test runs.
 *
 * <p>The static methods serve tests that run a child beside an in-JVM runner or keep their own
 * data dir.
 */
final class ChildRunner implements BeforeEachCallback, AfterEachCallback {

    private static final String LOOPBACK = "http://127.0.0.1:";

    // fixed for the test, not 0: a restarted runner must come back where the test's clients point
    private final int httpPort = LocalRunner.freePort();
    private final int sqsPort = LocalRunner.freePort();
    private final int dynamoPort = LocalRunner.freePort();
    /** Appended to by the output reader thread of each start; read only under its lock. */
    private final StringBuilder output = new StringBuilder();
    private Path root;
    private Path dataDir;
    private volatile Process process;
    private volatile Http http;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("child-runner");
        dataDir = Files.createDirectory(root.resolve("data"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        stop();
        // SIGKILLed processes still take a moment to leave the process table
        Eventually.await(Duration.ofSeconds(20), "no process left on " + dataDir, () -> processesOnDataDir().isEmpty());
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The runner's data dir; its parent is this test's scratch space, removed with it. */
    Path dataDir() {
        return dataDir;
    }

    /** The runner started last (alive or not), null before the first start. */
    Process process() {
        return process;
    }

    /**
     * The runner's command line on this test's data dir and ports; {@code template} null means
     * the bundled template.yaml, with its real 360 s visibility timeout.
     */
    ProcessBuilder command(Path template, int pollers) {
        return command(dataDir, template, httpPort, sqsPort, dynamoPort, pollers);
    }

    /**
     * A delivering runner with the integration tests' settings ({@link AstraLocalExtension#TEST_SETTINGS}:
     * loopback receivers, 2 s delivery timeout, so a 32 s claim lease, retries every second) and
     * 2 pollers (with the template's batches of 10, at most 20 messages in flight).
     */
    ProcessBuilder delivering(String jwtSecret, Path template) {
        ProcessBuilder pb = command(template, 2);
        pb.environment().putAll(AstraLocalExtension.TEST_SETTINGS);
        pb.environment().put(Settings.JWT_SECRET, jwtSecret);
        return pb;
    }

    /** {@link #delivering} on the bundled template, started. */
    Process startDelivering(String jwtSecret) throws IOException {
        return start(delivering(jwtSecret, null));
    }

    /**
     * Starts a runner and waits for its banner; it becomes {@link #process()}. The one before it
     * is the test's to have stopped or killed: its ports and data dir are the same.
     */
    Process start(ProcessBuilder builder) throws IOException {
        http = null;
        process = start(builder, output);
        return process;
    }

    /** Stops whatever runs on the data dir, as {@link #stop(Process, Path)} does. */
    void stop() throws InterruptedException {
        stop(process, dataDir);
    }

    /** What every start has printed so far, stdout and stderr. */
    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /**
     * A client of the runner's API, one per start: one made before a restart may still pool a
     * connection to the dead runner.
     */
    Http http() {
        Http client = http;
        if (client == null) {
            client = new Http(LOOPBACK + httpPort);
            http = client;
        }
        return client;
    }

    String sqsEndpoint() {
        return LOOPBACK + sqsPort;
    }

    /** The runner's SQS and DynamoDB endpoints, for an SDK client in the test. */
    Settings clientSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Settings.AWS_ENDPOINT_URL_SQS, sqsEndpoint());
        m.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, LOOPBACK + dynamoPort);
        m.put(Settings.AWS_REGION, LocalRunner.REGION);
        return Settings.parse(m);
    }

    /** Before a restart: a port the dead runner's sockets still hold would make the new one refuse to start. */
    void awaitPortsFree() {
        for (int port : List.of(dynamoPort, sqsPort, httpPort)) {
            Eventually.await(Duration.ofSeconds(15), "port " + port + " to be free", () -> LocalRunner.isFree(port));
        }
    }

    List<ProcessHandle> processesOnDataDir() {
        return processesOn(dataDir);
    }

    /** Messages on the queue in any state: visible, in flight or delayed. */
    static int queuedMessages(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** All of a webhook's dispatch records, page by page, grouped by event id. */
    Map<String, List<Map<String, Object>>> dispatchesByEvent(String token, String webhookId) {
        Http http = http();
        Map<String, List<Map<String, Object>>> byEvent = new TreeMap<>();
        String cursor = null;
        do {
            Http.Response r = http.get("/webhooks/" + webhookId + "/deliveries?limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token);
            assertEquals(200, r.status(), r.body());
            WebhookApiTest.data(r).forEach(d -> byEvent.computeIfAbsent((String) d.get("eventId"), k -> new ArrayList<>()).add(d));
            cursor = (String) json(r).get("nextCursor");
        } while (cursor != null);
        return byEvent;
    }

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

    /** Starts {@code builder}, keeps all it prints in {@code output} and waits up to 90 s for the runner's banner. */
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
