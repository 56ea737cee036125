package com.astra.webhooks.bench;

import com.astra.webhooks.auth.TokenIssuer;
// Run from the repository root (not a test; prints a report):
//
//   mvn -q -o -pl functions,infra -am process-test-classes -Dskip.npm -Dbench
//
// (-Dbench activates infra's "bench" profile: exec:java of this class on the test class path,
// in the same reactor build, so functions need not be installed.) Options: -Dbench.runs=N timed
// runs per scenario (default 5, after one warm-up run; 0 = capacity only). On a fresh checkout
// drop -o and -Dskip.npm. It starts its own in-memory runner on free ports.

import com.astra.webhooks.Wiring;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.local.Http;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.QueueMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Two measurements of the dispatcher, on the local runner (ElasticMQ + dynoxide, real handlers):
 *
 * <ol>
 *   <li>Wall time of a batch: 10 events pushed in one SendMessageBatch to a receiver that answers
 *       each request after 500 ms, from the SendMessageBatch call until the 10th dispatch is
 *       recorded as delivered (polled through GET /webhook-inspector every 10 ms). Also 10 events
 *       to 10 webhooks (100 deliveries).
 *   <li>DynamoDB capacity per delivered (event, webhook): a Dispatcher built in-process with
 *       {@code new Wiring(config)} processes a batch of 10 events for a tenant with 1, then 5,
 *       webhooks, while {@link ConsumedCapacityInterceptor} (a global SDK interceptor from the test
 *       class path; no production change) asks every DynamoDB call for ReturnConsumedCapacity and
 *       adds up what dynoxide reports.
 * </ol>
 */
public final class DispatchBenchmark {

    private static final String SECRET = "bench-secret";

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
        int runs = Integer.getInteger("bench.runs", 5);
        Map<String, String> settings = Map.of(
                Settings.ALLOW_PRIVATE_TARGETS, "true",
                Settings.REQUIRE_HTTPS, "false",
                Settings.JWT_SECRET, SECRET);
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).settings(settings))) {
            DispatchBenchmark bench = new DispatchBenchmark(runner);
            try {
                System.out.println("== batch wall time (receiver answers after 500 ms; 1 warm-up run + " + runs + " runs)");
                if (runs > 0) {
                    bench.wallTime(1, runs);
                    bench.wallTime(10, runs);
                }
                System.out.println();
                System.out.println("== DynamoDB capacity per delivered (event, webhook), batch of 10 events, in-process Dispatcher");
                Map<String, Double> one = bench.capacity(1);
                Map<String, Double> five = bench.capacity(5);
                double perEventW = (5 * one.get("wcu") - five.get("wcu")) / 4 / 10; // solve a + b*N from N=1,5
                double perDeliveryW = (five.get("wcu") - one.get("wcu")) / 4 / 10;
                double perEventR = (5 * one.get("rcu") - five.get("rcu")) / 4 / 10;
                double perDeliveryR = (five.get("rcu") - one.get("rcu")) / 4 / 10;
                System.out.printf("model: WCU per event = %.2f + %.2f x webhooks;  RCU per event = %.2f + %.2f x webhooks%n",
                        perEventW, perDeliveryW, perEventR, perDeliveryR);
            } finally {
                bench.receiver.close();
                bench.sqs.close();
            }
        }
        System.exit(0); // the HTTP clients' and executors' threads must not keep exec:java waiting
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

    private Map<String, Double> capacity(int webhooks) {
        String tenant = "bench-" + UUID.randomUUID();
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        String path = "/cap-" + UUID.randomUUID();
        for (int w = 0; w < webhooks; w++) {
            createWebhook(token, receiver.url(path));
        }
        Map<String, String> s = new HashMap<>();
        s.put(Settings.TABLE_NAME, runner.tableName());
        s.put(Settings.EVENTS_QUEUE_URL, runner.eventsQueueUrl());
        s.put(Settings.DLQ_URL, runner.dlqUrl());
        s.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, runner.dynamoEndpoint());
        s.put(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint());
        s.put(Settings.AWS_REGION, "us-east-1");
        s.put(Settings.ALLOW_PRIVATE_TARGETS, "true");
        s.put(Settings.REQUIRE_HTTPS, "false");
        Dispatcher dispatcher = new Wiring(Settings.parse(s)).dispatcher();

        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new QueueMessage("msg-" + i, event(tenant), Map.of(), 1));
        }
        ConsumedCapacityInterceptor.start();
        Set<String> failed = dispatcher.process(batch);
        Map<String, ConsumedCapacityInterceptor.Tally> tallies = ConsumedCapacityInterceptor.stop();
        int got = receiver.requests(path).size();
        if (!failed.isEmpty() || got != 10 * webhooks) {
            throw new IllegalStateException("expected " + 10 * webhooks + " deliveries, receiver got " + got
                    + ", failed messages " + failed);
        }

        double wcu = 0, rcu = 0;
        long callsWithout = 0, failures = 0;
        System.out.printf("  %d webhook(s) x 10 events:%n", webhooks);
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
        System.out.printf("RESULT %d webhook(s): %.1f WCU, %.1f RCU for %d deliveries = %.2f WCU and %.2f RCU per delivered (event, webhook)%s%s%n",
                webhooks, wcu, rcu, deliveries, wcu / deliveries, rcu / deliveries,
                callsWithout > 0 ? "; WARNING " + callsWithout + " calls reported no ConsumedCapacity" : "",
                failures > 0 ? "; " + failures + " failed calls (charged by DynamoDB, not counted)" : "");
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("wcu", wcu);
        out.put("rcu", rcu);
        return out;
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
    private static String event(String tenant) {
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
