package com.astra.webhooks.bench;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.local.FunctionJvmProperties;
import com.astra.webhooks.local.Http;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.TemplateModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The delivery path measured from outside: every party in its own process. Not a test: a main to
 * run by hand, from the repository root:
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * CP=infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt)
 * java -cp "$CP" com.astra.webhooks.bench.BlackBoxDeliveryBenchmark 3000 1 10
 * </pre>
 *
 * <p>(arguments: events per run, then the webhook counts to run; default 3000 1 10). A Node
 * receiver ({@code bench/counting-receiver.mjs}) answers 204 at once. The runner is a child JVM
 * ({@code LocalRunner --in-memory} on free ports, its default pollers, the benchmark's class path),
 * fed by four threads of SendMessageBatch; a run is timed from the first send until the receiver
 * has counted every delivery and the events queue is empty. Against it, the plain loop: another
 * child JVM that signs (Standard Webhooks HMAC, {@link WebhookSigner}) and POSTs the same number
 * of bodies of the same shape to the same receiver with the dispatcher's {@link DeliveryClient},
 * on {@code MAX_CONCURRENCY} threads (the dispatcher's default, 64), storing nothing. Each row is
 * the median of {@code -Dbench.runs=N} runs (default 3), after a warm-up of each side ({@code
 * events} deliveries for a runner); the runs of each side take turns.
 *
 * <p>CPU: the runner JVM's user + system time over the timed run ({@link ProcessHandle.Info#totalCpuDuration()})
 * divided by the deliveries; dynoxide, the runner's child process, is reported apart (on AWS
 * DynamoDB is not the function's CPU). The loop's own CPU per delivery likewise. The runner's CPU
 * is also split by threads ({@link ThreadCpu}: the SQS stand-in, the event source's pollers,
 * the function, the JVM's JIT and GC); {@code -Dbench.threads=true} prints the busiest threads of
 * each run.
 *
 * <p>{@code -Dbench.compare=CLASSPATH} also runs a runner from another build (e.g. the classes
 * of an earlier build), its runner up beside this build's and its runs taking turns with them,
 * so that two builds are compared side by side in one run; {@code -Dbench.compareRunnerOptions="..."} gives
 * that runner other JVM options (alone: the same build with other options). {@code -Dbench.runnerOptions="..."} sets
 * the runner's JVM options (e.g. add {@code -XX:StartFlightRecording=filename=runner.jfr}); by default
 * they are the JVM flags of the template's {@code JAVA_TOOL_OPTIONS} (its JIT: C1 only), which every
 * deployed function's JVM starts with.
 */
public final class BlackBoxDeliveryBenchmark {

    private static final String SECRET = "bench-secret";
    private static final int PUSHERS = 4;
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(5);

    /**
     * One timed run: deliveries per second, runner JVM CPU ms per delivery, dynoxide CPU ms per
     * delivery, and the runner's CPU ms per delivery by group of threads ({@link ThreadCpu#GROUPS}).
     */
    private record Run(double rate, double cpuMs, double childCpuMs, Map<String, Double> split) {
        Run(double rate, double cpuMs, double childCpuMs) {
            this(rate, cpuMs, childCpuMs, Map.of());
        }

        String splitText() {
            StringBuilder b = new StringBuilder();
            split.forEach((group, ms) -> b.append(String.format(" %s %.2f", group, ms)));
            return b.toString().trim();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("loop")) {
            loop(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        List<Integer> webhookCounts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            webhookCounts.add(Integer.parseInt(args[i]));
        }
        if (webhookCounts.isEmpty()) {
            webhookCounts = List.of(1, 10);
        }
        String classPath = System.getProperty("java.class.path");
        // each runner: its class path and its JVM options
        Map<String, List<String>> builds = new LinkedHashMap<>();
        // as deployed: each function's JVM starts with the template's JVM flags (its JIT), so the runner's does
        String runnerOptions = System.getProperty("bench.runnerOptions",
                String.join(" ", FunctionJvmProperties.jvmFlags(TemplateModel.bundled())));
        String compare = System.getProperty("bench.compare");
        String compareOptions = System.getProperty("bench.compareRunnerOptions");
        if (compare != null || compareOptions != null) {
            builds.put("compared", List.of(compare != null ? compare : classPath,
                    compareOptions != null ? compareOptions : runnerOptions));
        }
        builds.put("this build", List.of(classPath, runnerOptions));
        Process node = startReceiver();
        try {
            String base = "http://127.0.0.1:" + new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().trim();
            Map<String, String> rows = new LinkedHashMap<>();
            for (int webhooks : webhookCounts) {
                int deliveries = events * webhooks;
                Map<String, List<Run>> runs = new LinkedHashMap<>();
                List<Run> loops = new ArrayList<>();
                loop(base, deliveries / 10, classPath); // warm-up of the machine's caches, not measured
                // every build's runner is up for the whole row and the runs take turns, the plain loop
                // after each round, so that all of them see the same machine
                Map<String, Runner> runners = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, List<String>> build : builds.entrySet()) {
                        Runner runner = Runner.start(build.getValue().get(0), build.getValue().get(1));
                        runners.put(build.getKey(), runner);
                        // warm-up: as many deliveries as a timed run of one webhook, so that the JIT's
                        // compiling is mostly done before the CPU time is read
                        runner.deliver(base, events / webhooks, webhooks);
                    }
                    for (int r = 0; r < RUNS; r++) {
                        for (Map.Entry<String, Runner> runner : runners.entrySet()) {
                            Run run = runner.getValue().deliver(base, events, webhooks);
                            System.out.printf("  %s, %d x %d: %.0f/s, runner %.2f ms CPU per delivery (%s), dynoxide %.2f ms%n",
                                    runner.getKey(), events, webhooks, run.rate(), run.cpuMs(), run.splitText(), run.childCpuMs());
                            runs.computeIfAbsent(runner.getKey(), k -> new ArrayList<>()).add(run);
                        }
                        Run l = loop(base, deliveries, classPath);
                        System.out.printf("  plain loop, %d deliveries: %.0f/s, %.2f ms CPU per delivery%n",
                                deliveries, l.rate(), l.cpuMs());
                        loops.add(l);
                    }
                } finally {
                    for (Runner runner : runners.values()) {
                        runner.close();
                    }
                }
                Run loop = median(loops);
                rows.put(String.format("plain loop, %d × %d (concurrency %d)", events, webhooks, Settings.DEFAULT_DELIVERY_THREADS),
                        String.format("%6.0f/s %8s %10.2f ms %10s", loop.rate(), "1.00", loop.cpuMs(), "-"));
                runs.forEach((name, list) -> {
                    Run m = median(list);
                    rows.put(String.format("runner (%s), %d × %d", name, events, webhooks), String.format(
                            "%6.0f/s %8.3f %10.2f ms %7.2f ms   %s", m.rate(), m.rate() / loop.rate(), m.cpuMs(),
                            m.childCpuMs(), medianSplit(list)));
                });
            }
            System.out.println();
            System.out.printf("RESULT medians of %d runs; ratio = rate / the plain loop's rate%n", RUNS);
            System.out.printf("%-44s %8s %8s %13s %10s   %s%n", "", "rate", "ratio", "CPU/delivery", "dynoxide",
                    "runner CPU/delivery by threads (ms; medians)");
            rows.forEach((k, v) -> System.out.printf("%-44s %s%n", k, v));
        } finally {
            node.destroy();
        }
    }

    /** Each group's median over the runs, ms per delivery. */
    private static String medianSplit(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        for (String group : ThreadCpu.GROUPS) {
            List<Double> values = runs.stream().map(r -> r.split().getOrDefault(group, 0.0)).sorted().toList();
            b.append(String.format(" %s %.2f", group, values.get(values.size() / 2)));
        }
        return b.toString().trim();
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.rate(), b.rate()));
        return sorted.get(sorted.size() / 2);
    }

    /** The runner as a child JVM on free ports, in memory. */
    private static final class Runner implements AutoCloseable {
        private final Process process;
        private final Http http;
        private final SqsClient sqs;
        private final String eventsQueue;

        private Runner(Process process, String httpUrl, String sqsUrl, String eventsQueue) {
            this.process = process;
            this.http = new Http(httpUrl);
            Map<String, String> endpoints = new HashMap<>();
            endpoints.put(Settings.AWS_ENDPOINT_URL_SQS, sqsUrl);
            this.sqs = AwsClients.sqs(Settings.parse(endpoints));
            this.eventsQueue = eventsQueue;
        }

        static Runner start(String classPath, String jvmOptions) throws Exception {
            int httpPort = freePort();
            int sqsPort = freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            String options = jvmOptions.trim();
            if (!options.isEmpty()) {
                command.addAll(List.of(options.split("\\s+")));
            }
            command.addAll(List.of("-cp", classPath, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    LocalRunner.class.getName(), "--in-memory", "--http-port", Integer.toString(httpPort),
                    "--sqs-port", Integer.toString(sqsPort), "--dynamodb-port", Integer.toString(freePort())));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put(Settings.ALLOW_PRIVATE_TARGETS, "true");
            pb.environment().put(Settings.REQUIRE_HTTPS, "false");
            pb.environment().put(Settings.JWT_SECRET, SECRET);
            Process p = pb.start();
            CompletableFuture<String> queue = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        String t = line.trim();
                        if (t.startsWith("events ")) {
                            queue.complete(t.substring("events ".length()).trim());
                        } else if (!queue.isDone() || t.startsWith("[") || t.contains("Exception")) {
                            System.out.println("  runner| " + line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                queue.complete(null);
            }, "runner-output");
            reader.setDaemon(true);
            reader.start();
            String url = queue.get(120, TimeUnit.SECONDS);
            if (url == null) {
                throw new IllegalStateException("the runner did not start");
            }
            return new Runner(p, "http://127.0.0.1:" + httpPort, "http://127.0.0.1:" + sqsPort, url);
        }

        /** Pushes {@code events} for a fresh tenant with {@code webhooks} webhooks and times their delivery. */
        Run deliver(String receiver, int events, int webhooks) throws Exception {
            String tenant = "bb-" + UUID.randomUUID();
            String key = "bb-" + UUID.randomUUID();
            String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
            for (int w = 0; w < webhooks; w++) {
                Http.Response r = http.post("/webhooks", token,
                        Json.write(Map.of("url", receiver + "/" + key, "events", List.of("agent_completed"))));
                if (r.status() != 201) {
                    throw new IllegalStateException("create webhook answered " + r.status() + ": " + r.body());
                }
            }
            List<List<SendMessageBatchRequestEntry>> batches = new ArrayList<>();
            for (int i = 0; i < events; i += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int j = i; j < Math.min(events, i + 10); j++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(DispatchBenchmark.event(tenant)).build());
                }
                batches.add(entries);
            }
            Http counter = Http.unchecked(receiver);
            int expected = events * webhooks;
            ThreadCpu.Snapshot threads0 = ThreadCpu.snapshot(process.pid());
            Duration cpu0 = cpu(process.toHandle());
            Duration child0 = childCpu(process.toHandle());
            ExecutorService pushers = Executors.newFixedThreadPool(PUSHERS);
            long start = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (List<SendMessageBatchRequestEntry> entries : batches) {
                sent.add(pushers.submit(() -> sqs.sendMessageBatch(b -> b.queueUrl(eventsQueue).entries(entries))));
            }
            long deadline = start + RUN_DEADLINE.toNanos();
            while (count(counter, key) < expected || !queueEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all " + expected + " deliveries within " + RUN_DEADLINE);
                }
                Thread.sleep(5); // polling interval of the measurement, not synchronisation in a test
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMs = (cpu(process.toHandle()).minus(cpu0)).toNanos() / 1e6 / expected;
            double childMs = (childCpu(process.toHandle()).minus(child0)).toNanos() / 1e6 / expected;
            ThreadCpu.Snapshot threads1 = ThreadCpu.snapshot(process.pid());
            Map<String, Double> split = new LinkedHashMap<>();
            ThreadCpu.between(threads0, threads1).forEach((group, ms) -> split.put(group, ms / expected));
            if (Boolean.getBoolean("bench.threads")) {
                ThreadCpu.top(threads0, threads1, 15).forEach((name, ms) -> System.out.printf(
                        "    %-60s %-12s %.3f ms/delivery%n", name, ThreadCpu.group(name), ms / expected));
            }
            pushers.shutdown();
            for (Future<?> f : sent) {
                f.get();
            }
            int got = count(counter, key);
            if (got > expected) {
                // at least once: SQS (and the SDK's retry of a SendMessageBatch) may hand an event over twice
                Http.Response failed = http.get("/webhook-inspector?outcome=failed&limit=3", token);
                System.out.printf("  (%d deliveries more than events × webhooks; failed attempts: %s)%n", got - expected,
                        failed.body());
            }
            return new Run(expected / seconds, cpuMs, childMs, split);
        }

        private boolean queueEmpty() {
            return sqs.getQueueAttributes(b -> b.queueUrl(eventsQueue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes().values().stream().allMatch("0"::equals);
        }

        @Override
        public void close() throws Exception {
            List<ProcessHandle> children = process.toHandle().descendants().toList();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
            sqs.close();
        }
    }

    private static int count(Http receiver, String key) {
        return Integer.parseInt(receiver.get("/count/" + key, null).body().trim());
    }

    private static Duration cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for pid " + p.pid()));
    }

    private static Duration childCpu(ProcessHandle p) {
        return p.descendants().map(BlackBoxDeliveryBenchmark::cpu).reduce(Duration.ZERO, Duration::plus);
    }

    // ---- the plain loop ----------------------------------------------------------------------

    /** Runs the plain loop in a child JVM on the same class path; its figures come back on stdout. */
    private static Run loop(String receiver, int deliveries, String classPath) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", classPath, BlackBoxDeliveryBenchmark.class.getName(), "loop",
                receiver + "/loop-" + UUID.randomUUID(), Integer.toString(deliveries),
                Integer.toString(Settings.DEFAULT_DELIVERY_THREADS), Integer.toString(Math.max(1, deliveries / 10)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !line.startsWith("LOOP ")) {
            throw new IllegalStateException("the plain loop failed: " + line);
        }
        String[] f = line.split(" ");
        return new Run(Double.parseDouble(f[1]), Double.parseDouble(f[2]), 0);
    }

    /**
     * The plain loop's process: one warm-up pass of {@code warmUp} deliveries, then {@code deliveries}
     * timed; prints "LOOP rate cpuMsPerDelivery".
     */
    private static void loop(URI url, int deliveries, int concurrency, int warmUp) throws Exception {
        DeliveryClient client = new DeliveryClient(Duration.ofSeconds(10), new TargetGuard(true, false), Sender.USER_AGENT);
        WebhookSigner signer = new WebhookSigner();
        String secret = WebhookSigner.newSecret();
        String tenant = "loop-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            pass(client, signer, secret, url, tenant, warmUp, concurrency, pool);
            Duration cpu0 = cpu(ProcessHandle.current());
            long start = System.nanoTime();
            pass(client, signer, secret, url, tenant, deliveries, concurrency, pool);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMs = cpu(ProcessHandle.current()).minus(cpu0).toNanos() / 1e6 / deliveries;
            System.out.printf("LOOP %.1f %.3f%n", deliveries / seconds, cpuMs);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void pass(DeliveryClient client, WebhookSigner signer, String secret, URI url, String tenant, int n,
            int concurrency, ExecutorService pool) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    String body = DispatchBenchmark.event(tenant); // a fresh body each, as each delivery has its own event
                    String id = "msg_" + UUID.randomUUID();
                    long ts = System.currentTimeMillis() / 1000;
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("webhook-id", id);
                    headers.put("webhook-timestamp", Long.toString(ts));
                    headers.put("webhook-signature", signer.signatureHeader(List.of(secret), id, ts, body));
                    if (!client.send(url, headers, body).success()) {
                        throw new IllegalStateException("plain loop POST failed");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process startReceiver() throws IOException {
        Path script = Files.createTempFile("counting-receiver", ".mjs");
        script.toFile().deleteOnExit();
        try (InputStream in = BlackBoxDeliveryBenchmark.class.getResourceAsStream("/bench/counting-receiver.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        return new ProcessBuilder("node", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
