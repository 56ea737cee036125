package com.astra.webhooks.bench;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.local.Http;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.local.TemplateModel;
import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.DispatcherWiring;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * DESIGN.md "Isolation: no receiver slows another", measured. Not a test: a main to run by hand,
 * from the repository root:
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.IsolationBenchmark 3000
 * java -cp (the same) com.astra.webhooks.bench.IsolationBenchmark cost
 * </pre>
 *
 * <p>Three receivers run in their own Node process ({@code bench/isolation-receivers.mjs}):
 * healthy (answers at once), slow (answers after 2 s) and hanging (never answers; the default
 * 10 s delivery timeout ends each attempt). Each has its own tenant. A phase pushes {@code N}
 * events (default 3,000) as fast as four SendMessageBatch threads go; a fraction goes to the
 * hanging tenant and the same fraction to the slow one, the rest to the healthy one. For the
 * healthy webhook it reports the rate (healthy events / first send to last arrival) and the p95
 * of SendMessage to arrival (the receiver's clock, the same machine's), with 0 %, 1 % and 5 %
 * to the hanging receiver, in one run: first on the template without its slow lane (the
 * dispatcher as it was: 0 % and 1 % only, 5 % takes minutes), then with it. Each template's
 * 0 % phase runs first and last; the ratios are against the mean of the two. Default settings
 * (delivery timeout 10 s, retries 5 s, 5 m, ...); each runner is in memory on free ports.
 *
 * <p>{@code cost}: what a delivery to a receiver already marked slow costs, against one to a
 * healthy receiver. An in-process {@link Dispatcher} (built by {@code DispatcherWiring} from the runner's
 * DispatcherFunction environment, its slow lane pointed at a queue no poller reads) processes
 * 10 events for the healthy webhook, then 10 for the slow one (diverted), then the 10 slow-lane
 * messages as the slow lane's event source would hand them over (the receiver answers after
 * 1.1 s, so the webhook stays slow). DynamoDB capacity as dynoxide reports it
 * ({@link ConsumedCapacityInterceptor}) and the SQS requests made, per delivery.
 */
public final class IsolationBenchmark {

    private static final String SECRET = "bench-secret";
    private static final int PUSHERS = 4;
    private static final Duration PHASE_DEADLINE = Duration.ofMinutes(10);

    private final LocalRunner runner;
    private final Http http;
    private final SqsClient sqs;
    private final Http receivers;

    private IsolationBenchmark(LocalRunner runner, Http receivers) {
        this.runner = runner;
        this.http = new Http(runner.httpUrl());
        Map<String, String> endpoints = new HashMap<>();
        endpoints.put(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint());
        endpoints.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, runner.dynamoEndpoint());
        this.sqs = AwsClients.sqs(Settings.parse(endpoints));
        this.receivers = receivers;
    }

    /** One phase's figures for the healthy webhook. */
    private record Result(String mode, int hangingPercent, int healthyEvents, double rate, long p95Ms) {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cost")) {
            cost();
            return;
        }
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        Process node = startReceivers();
        try {
            String base = "http://127.0.0.1:" + new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().trim();
            Http receivers = Http.unchecked(base);
            Map<String, String> settings = Map.of(
                    Settings.ALLOW_PRIVATE_TARGETS, "true",
                    Settings.REQUIRE_HTTPS, "false",
                    Settings.JWT_SECRET, SECRET);
            List<Result> results = new ArrayList<>();
            Path withoutLane = templateWithoutSlowLane();
            try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true)
                    .settings(settings).template(withoutLane))) {
                results.addAll(new IsolationBenchmark(runner, receivers).phases("no slow lane", base, events, 0, 1, 0));
            }
            try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true)
                    .settings(settings))) {
                results.addAll(new IsolationBenchmark(runner, receivers).phases("slow lane", base, events, 0, 1, 5, 0));
            }
            System.out.println();
            System.out.printf("RESULT %d events per phase; the same fraction also goes to the 2 s receiver%n", events);
            System.out.printf("%-14s %8s %9s %9s %9s %7s %7s%n", "template", "hanging", "healthy", "rate/s", "p95 ms",
                    "rate x", "p95 x");
            // the reference of each template: the mean of its two 0 % phases, the first and the last,
            // so that the JIT's warming over the run favours no phase
            Map<String, double[]> zero = new HashMap<>();
            for (Result r : results) {
                if (r.hangingPercent() == 0) {
                    double[] z = zero.computeIfAbsent(r.mode(), k -> new double[3]);
                    z[0] += r.rate();
                    z[1] += r.p95Ms();
                    z[2]++;
                }
            }
            for (Result r : results) {
                double[] z = zero.get(r.mode());
                System.out.printf("%-14s %7d%% %9d %9.1f %9d %7.2f %7.2f%n", r.mode(), r.hangingPercent(), r.healthyEvents(),
                        r.rate(), r.p95Ms(), r.rate() / (z[0] / z[2]), r.p95Ms() / (z[1] / z[2]));
            }
        } finally {
            node.destroy();
        }
    }

    private List<Result> phases(String mode, String base, int events, int... percents) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String healthy = "bench-ok-" + run;
        String slow = "bench-slow-" + run;
        String hanging = "bench-hang-" + run;
        createWebhook(healthy, base + "/healthy");
        createWebhook(slow, base + "/slow");
        createWebhook(hanging, base + "/hang");
        System.out.println("== " + mode + ": warm-up (500 healthy events)");
        phase(healthy, slow, hanging, 500, 0);
        List<Result> results = new ArrayList<>();
        for (int percent : percents) {
            long[] figures = phase(healthy, slow, hanging, events, percent);
            Result r = new Result(mode, percent, (int) figures[0], figures[0] * 1000.0 / figures[1], figures[2]);
            System.out.printf("%s, %d %% hanging: %d healthy events, %.1f/s, p95 %d ms%n", mode, percent, r.healthyEvents(),
                    r.rate(), r.p95Ms());
            results.add(r);
        }
        return results;
    }

    /** Pushes {@code events}; returns healthy events, ms from first send to last arrival, p95 ms. */
    private long[] phase(String healthy, String slow, String hanging, int events, int percent) throws Exception {
        receivers.get("/arrivals", null); // forget arrivals of earlier phases
        List<String[]> plan = new ArrayList<>(); // {tenant, eventId}
        int every = percent == 0 ? Integer.MAX_VALUE : 100 / percent;
        for (int i = 0; i < events; i++) {
            String tenant = i % every == every / 2 ? hanging : i % every == every / 2 + 1 ? slow : healthy;
            plan.add(new String[] {tenant, "evt_iso_" + UUID.randomUUID().toString().replace("-", "")});
        }
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.currentTimeMillis();
        ExecutorService pushers = Executors.newFixedThreadPool(PUSHERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < PUSHERS; p++) {
                int first = p;
                done.add(pushers.submit(() -> {
                    for (int from = first * 10; from < plan.size(); from += PUSHERS * 10) {
                        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                        List<String> ids = new ArrayList<>();
                        for (int i = from; i < Math.min(plan.size(), from + 10); i++) {
                            String[] e = plan.get(i);
                            entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(event(e[0], e[1])).build());
                            if (e[0].equals(healthy)) {
                                ids.add(e[1]);
                            }
                        }
                        long at = System.currentTimeMillis();
                        sqs.sendMessageBatch(b -> b.queueUrl(runner.eventsQueueUrl()).entries(entries));
                        ids.forEach(id -> sentAt.put(id, at));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pushers.shutdown();
        }
        Map<String, Long> arrived = new HashMap<>();
        long deadline = System.currentTimeMillis() + PHASE_DEADLINE.toMillis();
        while (!arrived.keySet().containsAll(sentAt.keySet())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException((sentAt.size() - arrived.size()) + " healthy events did not arrive");
            }
            Thread.sleep(250); // polling the receiver for what arrived
            Json.parseObject(receivers.get("/arrivals", null).body())
                    .forEach((id, ms) -> arrived.put(id, ((Number) ms).longValue()));
        }
        List<Long> latencies = new ArrayList<>();
        long last = 0;
        for (Map.Entry<String, Long> e : sentAt.entrySet()) {
            long at = arrived.get(e.getKey());
            last = Math.max(last, at);
            latencies.add(at - e.getValue());
        }
        latencies.sort(null);
        long p95 = latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1);
        return new long[] {sentAt.size(), Math.max(1, last - start), p95};
    }

    private String createWebhook(String tenant, String url) throws IOException {
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(2));
        Http.Response r = http.post("/webhooks", token, Json.write(Map.of("url", url, "events", List.of("agent_completed"))));
        if (r.status() != 201) {
            throw new IllegalStateException("create webhook answered " + r.status() + ": " + r.body());
        }
        return (String) Json.parseObject(r.body()).get("id");
    }

    // ---- cost of a slow delivery ---------------------------------------------------------------

    private static void cost() throws Exception {
        Map<String, String> settings = Map.of(
                Settings.ALLOW_PRIVATE_TARGETS, "true",
                Settings.REQUIRE_HTTPS, "false",
                Settings.JWT_SECRET, SECRET);
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).settings(settings));
             Receiver receiver = new Receiver()) {
            IsolationBenchmark bench = new IsolationBenchmark(runner, null);
            String lane = bench.sqs.createQueue(b -> b.queueName("bench-slow-lane-" + UUID.randomUUID())).queueUrl();
            Map<String, String> environment = new HashMap<>(runner.environment("DispatcherFunction"));
            environment.put(Settings.SLOW_QUEUE_URL, lane);
            Wiring wiring = new Wiring(Settings.parse(environment));
            Dispatcher dispatcher = DispatcherWiring.dispatcher(wiring);
            for (int i = 0; i < 10; i++) {
                receiver.script("/slow", Answer.slow(200, Duration.ofMillis(1100)));
            }
            String healthy = "bench-ok-" + UUID.randomUUID();
            String slow = "bench-slow-" + UUID.randomUUID();
            bench.createWebhook(healthy, receiver.url("/healthy"));
            String slowId = bench.createWebhook(slow, receiver.url("/slow"));
            wiring.webhookStore().markSlow(slow, slowId, java.time.Instant.now());

            double[] ok = tally(() -> dispatcher.process(batch(healthy)));
            double[] diverted = tally(() -> dispatcher.process(batch(slow)));
            List<QueueMessage> laneBatch = new ArrayList<>();
            while (laneBatch.size() < 10) {
                for (Message m : bench.sqs.receiveMessage(b -> b.queueUrl(lane).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageAttributeNames("All")).messages()) {
                    Map<String, String> attributes = new HashMap<>();
                    m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
                    laneBatch.add(new QueueMessage(m.messageId(), m.body(), attributes, 1));
                }
            }
            double[] onLane = tally(() -> dispatcher.process(laneBatch));
            int got = receiver.requests("/slow").size();
            if (got != 10 || receiver.requests("/healthy").size() != 10) {
                throw new IllegalStateException("expected 10 deliveries each, slow receiver got " + got);
            }
            System.out.printf("RESULT healthy webhook: %.2f WCU, %.2f RCU per delivery; 0 extra SQS requests%n",
                    ok[0] / 10, ok[1] / 10);
            System.out.printf("RESULT slow webhook: %.2f WCU, %.2f RCU per delivery (events queue batch %.2f WCU + %.2f RCU,"
                            + " slow lane %.2f WCU + %.2f RCU); 1 SendMessage per delivery, and the slow lane's"
                            + " ReceiveMessage/DeleteMessageBatch (one each per batch of up to 10)%n",
                    (diverted[0] + onLane[0]) / 10, (diverted[1] + onLane[1]) / 10, diverted[0] / 10, diverted[1] / 10,
                    onLane[0] / 10, onLane[1] / 10);
        }
    }

    /** WCU and RCU of every DynamoDB call {@code work} makes in this JVM. */
    private static double[] tally(Runnable work) {
        ConsumedCapacityInterceptor.start();
        work.run();
        double wcu = 0;
        double rcu = 0;
        for (var e : ConsumedCapacityInterceptor.stop().entrySet()) {
            if (ConsumedCapacityInterceptor.isWrite(e.getKey())) {
                wcu += e.getValue().total.sum();
            } else {
                rcu += e.getValue().total.sum();
            }
            System.out.printf("    %-15s %3d calls  %6.1f %s%n", e.getKey(), e.getValue().calls.sum(), e.getValue().total.sum(),
                    ConsumedCapacityInterceptor.isWrite(e.getKey()) ? "WCU" : "RCU");
        }
        return new double[] {wcu, rcu};
    }

    private static List<QueueMessage> batch(String tenant) {
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new QueueMessage("msg-" + i, event(tenant, "evt_cost_" + UUID.randomUUID().toString().replace("-", "")),
                    Map.of(), 1));
        }
        return batch;
    }

    private static String event(String tenant, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "agent_completed");
        m.put("tenant", tenant);
        m.put("id", id);
        m.put("data", Map.of("agentId", "agent_7", "runId", "run_42", "status", "succeeded"));
        return Json.write(m);
    }

    /** The bundled template minus the slow lane: the dispatcher's SLOW_QUEUE_URL and its second SQS event. */
    @SuppressWarnings("unchecked")
    private static Path templateWithoutSlowLane() throws IOException {
        Map<String, Object> root = TemplateModel.bundled().root();
        Map<String, Object> dispatcher = (Map<String, Object>) TemplateModel.map(root.get("Resources")).get("DispatcherFunction");
        Map<String, Object> properties = (Map<String, Object>) dispatcher.get("Properties");
        ((Map<String, Object>) properties.get("Events")).remove("SlowLane");
        ((Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables")).remove("SLOW_QUEUE_URL");
        Path file = Files.createTempFile("template-without-slow-lane", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, new Yaml().dump(root));
        return file;
    }

    private static Process startReceivers() throws IOException {
        Path script = Files.createTempFile("isolation-receivers", ".mjs");
        script.toFile().deleteOnExit();
        try (InputStream in = IsolationBenchmark.class.getResourceAsStream("/bench/isolation-receivers.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        return new ProcessBuilder("node", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
