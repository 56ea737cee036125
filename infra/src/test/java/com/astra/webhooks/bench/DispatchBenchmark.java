package com.astra.webhooks.bench;

import com.astra.webhooks.auth.TokenIssuer;
// Run from the repository root (not a test; prints a report):
//
//   mvn -q -o -pl functions,infra -am package -DskipTests -Dskip.npm -Dbench
//
// (-Dbench activates infra's "bench" profile: exec:java of this class on the test class path,
// in the same reactor build, so functions need not be installed.) Options: -Dbench.runs=N timed
// runs per scenario (default 5, after one warm-up run; 0 = capacity only), -Dbench.pollers=N the
// runner's concurrent SQS batches (default: the runner's own, from the template). On a fresh checkout
// drop -o and -Dskip.npm. It starts its own in-memory runner on free ports.

import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.DispatcherWiring;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.local.Http;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Sender;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Three measurements of the dispatcher, on the local runner (ElasticMQ + dynoxide, real handlers):
 *
 * <ol>
 *   <li>Wall time of a batch: 10 events pushed in one SendMessageBatch to a receiver that answers
 *       each request after 500 ms, from the SendMessageBatch call until the 10th dispatch is
 *       recorded as delivered (polled through GET /webhook-inspector every 10 ms). Also 10 events
 *       to 10 webhooks (100 deliveries).
 *   <li>DynamoDB capacity per delivered (event, webhook): a Dispatcher built in-process with
 *       {@code new Wiring(config)} processes a batch of 10 events for a tenant with 1, then 5,
 *       then 10 webhooks, and 1 webhook answering with 4 KiB, while {@link ConsumedCapacityInterceptor} (a global SDK interceptor from the test
 *       class path; no production change) asks every DynamoDB call for ReturnConsumedCapacity and
 *       adds up what dynoxide reports.
 *   <li>Throughput: deliveries per second end to end through the runner (3,000 events x 1
 *       webhook, 300 x 10) against a plain loop that signs and POSTs the same number of bodies
 *       to the same receiver with the same concurrency, and the ratio of the two.
 * </ol>
 */
public final class DispatchBenchmark {

    private static final String SECRET = "bench-secret";
    /**
     * Concurrent SQS batches of the runner (-Dbench.pollers=N; unset: the runner's default, the
     * template's MaximumConcurrency capped for a laptop): each poller takes a batch of up to 10
     * and hands it to the dispatcher.
     */
    private static final Integer POLLERS = Integer.getInteger("bench.pollers");
    /** The dispatcher's MAX_CONCURRENCY default. */
    private static final int MAX_CONCURRENCY = 64;

    private final LocalRunner runner;
    private final Http http;
    private final SqsClient sqs;
    private final Receiver receiver = new Receiver();

    private DispatchBenchmark(LocalRunner runner) {
        this.runner = runner;
        this.http = new Http(runner.httpUrl());
        Map<String, String> endpoints = new HashMap<>();
        endpoints.put(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint());
        endpoints.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, runner.dynamoEndpoint());
        this.sqs = AwsClients.sqs(Settings.parse(endpoints));
    }

    public static void main(String[] args) {
        // The JDK's HttpServer (the receiver) writes headers and body apart; with Nagle's algorithm
        // on, every small answer then waits out the client's delayed ACK (~40 ms), and both sides
        // of the comparison would measure that wait instead of the dispatcher.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int runs = Integer.getInteger("bench.runs", 5);
        Map<String, String> settings = Map.of(
                Settings.ALLOW_PRIVATE_TARGETS, "true",
                Settings.REQUIRE_HTTPS, "false",
                Settings.JWT_SECRET, SECRET);
        RunnerOptions options = RunnerOptions.defaults().freePorts().inMemory(true).settings(settings);
        if (POLLERS != null) {
            options.pollers(POLLERS);
        }
        try (LocalRunner runner = LocalRunner.start(options)) {
            int pollers = runner.sqsConcurrency();
            DispatchBenchmark bench = new DispatchBenchmark(runner);
            Map<String, String> summary = new LinkedHashMap<>();
            try {
                System.out.println("== batch wall time (receiver answers after 500 ms; 1 warm-up run + " + runs + " runs)");
                if (runs > 0) {
                    bench.wallTime(1, runs);
                    bench.wallTime(10, runs);
                }
                System.out.println();
                System.out.println("== DynamoDB capacity per delivered (event, webhook), batch of 10 events, in-process Dispatcher");
                Map<String, Double> one = bench.capacity(1, null);
                Map<String, Double> five = bench.capacity(5, null);
                Map<String, Double> ten = bench.capacity(10, null);
                Map<String, Double> big = bench.capacity(1, "x".repeat(4096));
                double perEventW = (5 * one.get("wcu") - five.get("wcu")) / 4 / 10; // solve a + b*N from N=1,5
                double perDeliveryW = (five.get("wcu") - one.get("wcu")) / 4 / 10;
                double perEventR = (5 * one.get("rcu") - five.get("rcu")) / 4 / 10;
                double perDeliveryR = (five.get("rcu") - one.get("rcu")) / 4 / 10;
                System.out.printf("model: WCU per event = %.2f + %.2f x webhooks;  RCU per event = %.2f + %.2f x webhooks%n",
                        perEventW, perDeliveryW, perEventR, perDeliveryR);
                summary.put("WCU/RCU per delivery, 1 webhook", perDelivery(one, 10));
                summary.put("WCU/RCU per delivery, 5 webhooks", perDelivery(five, 50));
                summary.put("WCU/RCU per delivery, 10 webhooks", perDelivery(ten, 100));
                summary.put("WCU/RCU per delivery, 1 webhook, 4 KiB response", perDelivery(big, 10));
                System.out.println();
                System.out.println("== throughput (skipped when bench.runs=0): end to end through the runner (" + pollers + " concurrent batches) against a plain sign+POST loop"
                        + " (receiver answers at once; 1 warm-up run + " + Math.max(1, runs) + " runs, medians)");
                for (int[] shape : runs == 0 ? new int[0][] : new int[][] {{3000, 1}, {300, 10}}) {
                    int events = shape[0];
                    int webhooks = shape[1];
                    int concurrency = Math.min(MAX_CONCURRENCY, pollers * 10 * webhooks);
                    double e2e = bench.endToEnd(events, webhooks, Math.max(1, runs));
                    double raw = bench.rawLoop(events * webhooks, concurrency, Math.max(1, runs));
                    String line = String.format("%.0f/s end to end, %.0f/s plain loop (concurrency %d): ratio %.1f %%",
                            e2e, raw, concurrency, 100 * e2e / raw);
                    System.out.printf("RESULT %d events x %d webhook(s): %s%n", events, webhooks, line);
                    summary.put("throughput " + events + " events x " + webhooks + " webhook(s)", line);
                }
            } finally {
                bench.receiver.close();
                bench.sqs.close();
            }
            System.out.println();
            System.out.println("== summary");
            summary.forEach((k, v) -> System.out.printf("  %-50s %s%n", k, v));
        }
        System.exit(0); // the HTTP clients' and executors' threads must not keep exec:java waiting
    }

    private static String perDelivery(Map<String, Double> capacity, int deliveries) {
        return String.format("%.2f WCU, %.2f RCU", capacity.get("wcu") / deliveries, capacity.get("rcu") / deliveries);
    }

    // ---- 1. wall time ------------------------------------------------------------------------

    private void wallTime(int webhooks, int runs) {
        List<Long> times = new ArrayList<>();
        int maxInFlight = 0;
        for (int run = 0; run <= runs; run++) {
            Receiver r = new Receiver();
            try {
                String tenant = "bench-" + UUID.randomUUID();
                String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
                for (int w = 0; w < webhooks; w++) {
                    String path = "/slow" + w;
                    for (int i = 0; i < 10; i++) {
                        r.script(path, Answer.slow(200, Duration.ofMillis(500)));
                    }
                    createWebhook(token, r.url(path));
                }
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(event(tenant)).build());
                }
                int expected = 10 * webhooks;
                long start = System.nanoTime();
                sqs.sendMessageBatch(b -> b.queueUrl(runner.eventsQueueUrl()).entries(entries));
                long deadline = start + Duration.ofSeconds(60).toNanos();
                while (delivered(token) < expected) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not all " + expected + " deliveries recorded within 60 s");
                    }
                    pause(10);
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (run > 0) {
                    times.add(ms);
                    maxInFlight = Math.max(maxInFlight, r.maxInFlight());
                }
                System.out.printf("  %2d webhook(s) x 10 events, %s: %d ms (receiver saw %d in flight at most)%n",
                        webhooks, run == 0 ? "warm-up" : "run " + run, ms, r.maxInFlight());
            } finally {
                r.close();
            }
        }
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        System.out.printf("RESULT %d webhook(s) x 10 events (%d deliveries): median %d ms, min %d, max %d over %d runs; max in flight %d%n",
                webhooks, 10 * webhooks, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                sorted.size(), maxInFlight);
    }

    private int delivered(String token) {
        Http.Response r = http.get("/webhook-inspector?outcome=delivered&limit=200", token);
        if (r.status() != 200) {
            throw new IllegalStateException("inspector answered " + r.status() + ": " + r.body());
        }
        try {
            return ((List<?>) Json.parseObject(r.body()).get("data")).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- 2. capacity -------------------------------------------------------------------------

    private Map<String, Double> capacity(int webhooks, String responseBody) {
        String tenant = "bench-" + UUID.randomUUID();
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        String path = "/cap-" + UUID.randomUUID();
        if (responseBody != null) {
            for (int i = 0; i < 10 * webhooks; i++) {
                receiver.script(path, new Answer(200, Duration.ZERO, responseBody));
            }
        }
        for (int w = 0; w < webhooks; w++) {
            createWebhook(token, receiver.url(path));
        }
        // the dispatcher as deployed: exactly the environment the runner gives DispatcherFunction
        Dispatcher dispatcher = DispatcherWiring.dispatcher(new Wiring(Settings.parse(runner.environment("DispatcherFunction"))));

        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new QueueMessage("msg-" + i, event(tenant), Map.of(), 1));
        }
        ConsumedCapacityInterceptor.start();
        long started = System.nanoTime();
        Set<String> failed = dispatcher.process(batch);
        long batchMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, ConsumedCapacityInterceptor.Tally> tallies = ConsumedCapacityInterceptor.stop();
        int got = receiver.requests(path).size();
        if (!failed.isEmpty() || got != 10 * webhooks) {
            throw new IllegalStateException("expected " + 10 * webhooks + " deliveries, receiver got " + got
                    + ", failed messages " + failed);
        }

        double wcu = 0, rcu = 0;
        long callsWithout = 0, failures = 0;
        System.out.printf("  %d webhook(s) x 10 events%s: process() took %d ms (first batch of a fresh Dispatcher)%n", webhooks,
                responseBody == null ? "" : ", " + responseBody.length() + "-byte response", batchMs);
        for (var e : tallies.entrySet()) {
            var t = e.getValue();
            boolean write = ConsumedCapacityInterceptor.isWrite(e.getKey());
            if (write) wcu += t.total.sum(); else rcu += t.total.sum();
            callsWithout += t.calls.sum() - t.withCapacity.sum() - t.failures.sum();
            failures += t.failures.sum();
            System.out.printf("    %-15s %3d calls  %6.1f %s  (table %.1f, indexes %.1f)  failed calls %d%n",
                    e.getKey(), t.calls.sum(), t.total.sum(), write ? "WCU" : "RCU", t.table.sum(), t.indexes.sum(),
                    t.failures.sum());
        }
        int deliveries = 10 * webhooks;
        System.out.printf("RESULT %d webhook(s)%s: %.1f WCU, %.1f RCU for %d deliveries = %.2f WCU and %.2f RCU per delivered (event, webhook)%s%s%n",
                webhooks, responseBody == null ? "" : " (" + responseBody.length() + "-byte response)",
                wcu, rcu, deliveries, wcu / deliveries, rcu / deliveries,
                callsWithout > 0 ? "; WARNING " + callsWithout + " calls reported no ConsumedCapacity" : "",
                failures > 0 ? "; " + failures + " failed calls (charged by DynamoDB, not counted)" : "");
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("wcu", wcu);
        out.put("rcu", rcu);
        return out;
    }

    // ---- 3. throughput -----------------------------------------------------------------------

    /**
     * Deliveries per second through the runner: {@code events} messages sent in batches of 10
     * (from 4 threads) for a tenant with {@code webhooks} webhooks on a receiver that answers at
     * once, timed from the first send until the receiver has every request and the queue holds
     * no message, visible or in flight (the runner deletes a message only after the dispatcher
     * has recorded its deliveries). One warm-up run of a tenth of the events, then the median.
     */
    private double endToEnd(int events, int webhooks, int runs) {
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run <= runs; run++) {
            int n = run == 0 ? events / 10 : events;
            String tenant = "tp-" + UUID.randomUUID();
            String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
            String path = "/tp-" + UUID.randomUUID();
            for (int w = 0; w < webhooks; w++) {
                createWebhook(token, receiver.url(path));
            }
            List<List<SendMessageBatchRequestEntry>> batches = new ArrayList<>();
            for (int i = 0; i < n; i += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int j = i; j < Math.min(n, i + 10); j++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(event(tenant)).build());
                }
                batches.add(entries);
            }
            int expected = n * webhooks;
            ExecutorService senders = Executors.newFixedThreadPool(4);
            long start = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (List<SendMessageBatchRequestEntry> entries : batches) {
                sent.add(senders.submit(() -> sqs.sendMessageBatch(b -> b.queueUrl(runner.eventsQueueUrl()).entries(entries))));
            }
            long deadline = start + Duration.ofMinutes(5).toNanos();
            while (receiver.requests(path).size() < expected || !queueEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all " + expected + " deliveries done within 5 minutes: "
                            + receiver.requests(path).size());
                }
                pause(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            senders.shutdown();
            sent.forEach(DispatchBenchmark::join);
            int got = receiver.requests(path).size();
            if (got != expected) {
                throw new IllegalStateException("expected " + expected + " deliveries, receiver got " + got);
            }
            double rate = expected / seconds;
            if (run > 0) {
                rates.add(rate);
            }
            System.out.printf("  end to end, %d events x %d webhook(s), %s: %.2f s, %.0f deliveries/s%n",
                    n, webhooks, run == 0 ? "warm-up" : "run " + run, seconds, rate);
        }
        Collections.sort(rates);
        return rates.get(rates.size() / 2);
    }

    private boolean queueEmpty() {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(runner.eventsQueueUrl()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().allMatch("0"::equals);
    }

    /**
     * The raw limit: {@code concurrency} threads of one JVM sign (Standard Webhooks, as the
     * dispatcher does) and POST {@code deliveries} event bodies to the same receiver with the
     * dispatcher's own {@link DeliveryClient}, nothing stored. Median of {@code runs} after a warm-up.
     */
    private double rawLoop(int deliveries, int concurrency, int runs) {
        DeliveryClient client = new DeliveryClient(Duration.ofSeconds(10), new TargetGuard(true, false), Sender.USER_AGENT);
        WebhookSigner signer = new WebhookSigner();
        String secret = WebhookSigner.newSecret();
        String path = "/raw-" + UUID.randomUUID();
        URI url = URI.create(receiver.url(path));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < Math.max(1, deliveries / 10); i++) {
            bodies.add(event("raw"));
        }
        List<Double> rates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            for (int run = 0; run <= runs; run++) {
                int n = run == 0 ? deliveries / 10 : deliveries;
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> workers = new ArrayList<>();
                long start = System.nanoTime();
                for (int t = 0; t < concurrency; t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                            String body = bodies.get(i % bodies.size());
                            String id = "evt_raw_" + i;
                            long ts = System.currentTimeMillis() / 1000;
                            Map<String, String> headers = new LinkedHashMap<>();
                            headers.put("webhook-id", id);
                            headers.put("webhook-timestamp", Long.toString(ts));
                            headers.put("webhook-signature", signer.signatureHeader(List.of(secret), id, ts, body));
                            if (!client.send(url, headers, body).success()) {
                                throw new IllegalStateException("plain loop POST failed");
                            }
                        }
                    }));
                }
                workers.forEach(DispatchBenchmark::join);
                double rate = n / ((System.nanoTime() - start) / 1e9);
                if (run > 0) {
                    rates.add(rate);
                }
                System.out.printf("  plain sign+POST loop, %d deliveries, concurrency %d, %s: %.0f deliveries/s%n",
                        n, concurrency, run == 0 ? "warm-up" : "run " + run, rate);
            }
        } finally {
            pool.shutdownNow();
        }
        Collections.sort(rates);
        return rates.get(rates.size() / 2);
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void createWebhook(String token, String url) {
        Http.Response r = http.post("/webhooks", token,
                Json.write(Map.of("url", url, "events", List.of("agent_completed"))));
        if (r.status() != 201) {
            throw new IllegalStateException("create webhook answered " + r.status() + ": " + r.body());
        }
    }

    /** The shape of events/agent-completed.message.json, for {@code tenant}, with a fresh id. */
    static String event(String tenant) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agentId", "agent_7");
        data.put("runId", "run_42");
        data.put("status", "succeeded");
        data.put("durationMs", 1834);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("event", "agent_completed");
        doc.put("tenant", tenant);
        doc.put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""));
        doc.put("timestamp", "2026-11-26T12:00:00Z");
        doc.put("data", data);
        return Json.write(doc);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // polling interval of the measurement loop, not synchronisation in a test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
