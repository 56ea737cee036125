package com.astra.webhooks.bench;

// Run from the repository root (not a test; prints a report):
//
//   mvn -q -o -pl functions,client,infra -am package -DskipTests -Dskip.npm -Dbench.ordered
//
// (-Dbench.ordered activates infra's "bench-ordered" profile: exec:java of this class on the test
// class path.) It starts its own in-memory runner on free ports. Timings on a shared machine are
// noisy: compare the ratios of one run, measured side by side.

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.jobs.OrderedDelivery;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.local.Http;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.queue.SqsOrderedQueues;
import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.AutoDisable;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.DispatcherWiring;
import com.astra.webhooks.worker.OrderedDispatcher;
import com.astra.webhooks.worker.OrderedMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Ordered against unordered delivery on the local runner (ElasticMQ + dynoxide, real handlers):
 *
 * <ol>
 *   <li>DynamoDB write units per delivered (event, webhook), exact from dynoxide's
 *       ConsumedCapacity ({@link ConsumedCapacityInterceptor}): 10 events to 1 webhook through an
 *       in-process {@code Dispatcher}, and through an in-process {@code OrderedDispatcher}'s
 *       fan-out and ordered lane.
 *   <li>Throughput end to end: 300 events to 1 webhook whose receiver answers at once, ordered on
 *       one key (also the warm-up), unordered on the events queue, and ordered over 30 keys.
 *   <li>The per-key bound: 40 events of one key to a receiver that answers after 50 ms, against
 *       the 20 a second that 50 ms alone allows.
 * </ol>
 */
public final class OrderedDeliveryBenchmark {

    private static final String SECRET = "bench-secret";

    private final LocalRunner runner;
    private final Http http;
    private final SqsClient sqs;
    private final Receiver receiver = new Receiver();

    private OrderedDeliveryBenchmark(LocalRunner runner) {
        this.runner = runner;
        this.http = new Http(runner.httpUrl());
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint());
        endpoints.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, runner.dynamoEndpoint());
        this.sqs = AwsClients.sqs(Settings.parse(endpoints));
    }

    public static void main(String[] args) {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // see DispatchBenchmark
        Map<String, String> settings = Map.of(Settings.ALLOW_PRIVATE_TARGETS, "true", Settings.REQUIRE_HTTPS, "false",
                Settings.JWT_SECRET, SECRET);
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).settings(settings))) {
            OrderedDeliveryBenchmark bench = new OrderedDeliveryBenchmark(runner);
            Map<String, String> summary = new LinkedHashMap<>();
            try {
                System.out.println("== DynamoDB write units per delivered (event, webhook), 10 events x 1 webhook, in process");
                double unordered = bench.unorderedWcu();
                double[] ordered = bench.orderedWcu();
                summary.put("WCU per delivery, unordered", String.format("%.2f", unordered));
                summary.put("WCU per delivery, ordered", String.format("%.2f (fan-out %.2f + lane %.2f)",
                        ordered[0] + ordered[1], ordered[0], ordered[1]));
                System.out.println();
                System.out.println("== throughput end to end through the runner, 300 events x 1 webhook, receiver answers at once");
                bench.throughput(300, 1); // warm-up, and one key with a receiver that answers at once
                double u = bench.throughput(300, 0);
                double o = bench.throughput(300, 30);
                summary.put("throughput unordered", String.format("%.0f deliveries/s", u));
                summary.put("throughput ordered, 30 keys", String.format("%.0f deliveries/s (%.0f %% of unordered)", o, 100 * o / u));
                System.out.println();
                System.out.println("== one key, receiver answers after 50 ms");
                double perKey = bench.perKey(40, Duration.ofMillis(50));
                summary.put("one key, 50 ms receiver", String.format("%.1f deliveries/s (50 ms alone allows 20/s: %.0f %%)",
                        perKey, 100 * perKey / 20));
            } finally {
                bench.receiver.close();
                bench.sqs.close();
            }
            System.out.println();
            System.out.println("== summary");
            summary.forEach((k, v) -> System.out.printf("  %-34s %s%n", k, v));
        }
        System.exit(0);
    }

    private String tenantWithWebhook(String tenant, String path) {
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        Http.Response r = http.post("/webhooks", token, Json.write(Map.of("url", receiver.url(path),
                "events", List.of("agent_completed"))));
        if (r.status() != 201) {
            throw new IllegalStateException("create webhook answered " + r.status() + ": " + r.body());
        }
        return (String) parse(r.body()).get("id");
    }

    private Wiring wiring() {
        return new Wiring(Settings.parse(runner.environment("DispatcherFunction")));
    }

    private double unorderedWcu() {
        String tenant = "bench-" + UUID.randomUUID();
        String path = "/u-" + UUID.randomUUID();
        tenantWithWebhook(tenant, path);
        Dispatcher dispatcher = DispatcherWiring.dispatcher(wiring());
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new QueueMessage("msg-" + i, DispatchBenchmark.event(tenant), Map.of(), 1));
        }
        ConsumedCapacityInterceptor.start();
        Set<String> failed = dispatcher.process(batch);
        double wcu = writes(ConsumedCapacityInterceptor.stop(), "unordered");
        check(failed.isEmpty() && receiver.requests(path).size() == 10, "unordered deliveries");
        return wcu / 10;
    }

    /** Fan-out and lane apart: {fan-out WCU, lane WCU} per delivery. */
    private double[] orderedWcu() {
        Map<String, String> env = runner.environment("DispatcherFunction");
        Wiring wiring = wiring();
        Settings settings = wiring.settings();
        OrderedDispatcher ordered = new OrderedDispatcher(DispatcherWiring.context(wiring), wiring.sequences(),
                new SqsOrderedQueues(sqs, env.get(Settings.ORDERED_QUEUE_URL), env.get(Settings.EVENTS_FIFO_DLQ_URL)),
                new AutoDisable(wiring.webhookStore(), wiring.dispatcherQueues(), settings.disableAfter(), wiring.clock()));

        // fan-out: 10 events of one key (its staged messages are delivered by the runner, not counted)
        String tenant = "bench-" + UUID.randomUUID();
        tenantWithWebhook(tenant, "/of-" + UUID.randomUUID());
        List<OrderedMessage> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> doc = parse(DispatchBenchmark.event(tenant));
            doc.put("orderingKey", "run_42");
            events.add(new OrderedMessage("m-" + i, Json.write(doc), "run_42", "r-" + i, 1));
        }
        ConsumedCapacityInterceptor.start();
        Set<String> failed = ordered.process(events, false);
        double fanOut = writes(ConsumedCapacityInterceptor.stop(), "ordered fan-out");
        check(failed.isEmpty(), "fan-out");

        // lane: 10 stage messages of one key for stored events, made in process
        String laneTenant = "bench-" + UUID.randomUUID();
        String path = "/ol-" + UUID.randomUUID();
        String webhookId = tenantWithWebhook(laneTenant, path);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<OrderedMessage> stage = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "evt_lane_" + i + "_" + UUID.randomUUID().toString().replace("-", "");
            wiring.eventStore().putIfAbsent(laneTenant, id, "agent_completed", "{\"id\":\"" + id + "\"}", now,
                    now.plus(Duration.ofDays(1)));
            stage.add(new OrderedMessage("s-" + i, new OrderedDelivery(laneTenant, id, "agent_completed", webhookId,
                    "run_42", i + 1, now).toJson(), webhookId + ":k", "r-" + i, 1));
        }
        ConsumedCapacityInterceptor.start();
        failed = ordered.process(stage, true);
        double lane = writes(ConsumedCapacityInterceptor.stop(), "ordered lane");
        check(failed.isEmpty() && receiver.requests(path).size() == 10, "lane deliveries");
        return new double[] {fanOut / 10, lane / 10};
    }

    private static double writes(Map<String, ConsumedCapacityInterceptor.Tally> tallies, String what) {
        double wcu = 0;
        for (var e : tallies.entrySet()) {
            if (ConsumedCapacityInterceptor.isWrite(e.getKey())) {
                wcu += e.getValue().total.sum();
                System.out.printf("  %-16s %-15s %3d calls %6.1f WCU (failed calls %d)%n", what, e.getKey(),
                        e.getValue().calls.sum(), e.getValue().total.sum(), e.getValue().failures.sum());
            }
        }
        return wcu;
    }

    /** Deliveries a second for {@code count} events to one webhook; {@code keys} 0 means unordered. */
    private double throughput(int count, int keys) {
        String tenant = "bench-" + UUID.randomUUID();
        String path = "/t-" + UUID.randomUUID();
        tenantWithWebhook(tenant, path);
        String queue = keys == 0 ? runner.eventsQueueUrl() : runner.queueUrl("EventsFifoQueue", false);
        long started = System.nanoTime();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> doc = parse(DispatchBenchmark.event(tenant));
            SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder().id("e" + i);
            if (keys > 0) {
                String key = "run_" + (i % keys);
                doc.put("orderingKey", key);
                entry.messageGroupId(key).messageDeduplicationId((String) doc.get("id"));
            }
            entries.add(entry.messageBody(Json.write(doc)).build());
            if (entries.size() == 10 || i == count - 1) {
                List<SendMessageBatchRequestEntry> send = entries;
                sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(send));
                entries = new ArrayList<>();
            }
        }
        receiver.await(path, count, Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = count / seconds;
        System.out.printf("RESULT %s: %d deliveries in %.2f s = %.0f/s%n", keys == 0 ? "unordered" : "ordered, " + keys + " keys",
                count, seconds, rate);
        return rate;
    }

    private double perKey(int count, Duration receiverDelay) {
        String tenant = "bench-" + UUID.randomUUID();
        String path = "/k-" + UUID.randomUUID();
        for (int i = 0; i < count; i++) {
            receiver.script(path, Answer.slow(200, receiverDelay));
        }
        tenantWithWebhook(tenant, path);
        String queue = runner.queueUrl("EventsFifoQueue", false);
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Map<String, Object> doc = parse(DispatchBenchmark.event(tenant));
            doc.put("orderingKey", "one-key");
            sqs.sendMessage(b -> b.queueUrl(queue).messageGroupId("one-key").messageDeduplicationId((String) doc.get("id"))
                    .messageBody(Json.write(doc)));
        }
        receiver.await(path, count, Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("RESULT one key, %d ms receiver: %d deliveries in %.2f s = %.1f/s%n", receiverDelay.toMillis(),
                count, seconds, count / seconds);
        return count / seconds;
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.parseObject(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " did not all succeed");
        }
    }
}
