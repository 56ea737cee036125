package com.astra.webhooks.bench;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.webhook.WebhookStats;
import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.DispatcherWiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What the receiver controls cost in DynamoDB capacity, as dynoxide reports it
 * ({@link ConsumedCapacityInterceptor}). Not a test: a main to run by hand, from the repository root:
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.ReceiverControlsBenchmark 1000 100000
 * </pre>
 *
 * <ol>
 *   <li>Rate limit: an in-process {@link Dispatcher} (built by {@code DispatcherWiring}, as deployed) delivers
 *       10 events to one webhook, unlimited, then limited at 1,000/s (every slot is near: the
 *       sends wait in the invocation), then limited at 2/s (most deliveries go back on the queue
 *       and are processed again when they come back; the runner has no pollers, so the benchmark
 *       feeds the queue's messages to the same dispatcher). Capacity of every DynamoDB call of the
 *       whole run, per delivery.
 *   <li>Stats: one {@code GET /webhooks/{id}/stats} computation ({@link WebhookStats}) over a webhook
 *       whose window holds {@code small}, then {@code large} dispatches (seeded as InspectorBenchmark does).
 * </ol>
 */
public final class ReceiverControlsBenchmark {

    private static final String SECRET = "bench-secret";

    public static void main(String[] args) throws Exception {
        int small = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        try (Receiver receiver = new Receiver().otherwise(Receiver.Answer.body(204, ""));
                LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .setting(Settings.JWT_SECRET, SECRET))) {
            IntSupplier received = receiver::count;
            // the dispatcher as deployed: exactly the environment the runner gives DispatcherFunction
            Wiring wiring = new Wiring(Settings.parse(runner.environment("DispatcherFunction")));
            String url = receiver.url("/hook");

            System.out.println("== rate limit: DynamoDB capacity per delivery, 10 events to one webhook");
            Map<String, double[]> rates = new java.util.LinkedHashMap<>();
            for (Integer limit : new Integer[] {null, 1000, 2}) {
                rates.put(limit == null ? "unlimited" : "rateLimit " + limit, rateLimited(wiring, runner, url, limit, received));
            }
            double[] base = rates.get("unlimited");
            rates.forEach((name, c) -> System.out.printf("RESULT %-15s %.2f WCU + %.2f RCU per delivery; extra over unlimited: %+.2f WCU, %+.2f RCU%n",
                    name, c[0], c[1], c[0] - base[0], c[1] - base[1]));

            System.out.println();
            System.out.println("== stats: read units of one call (window holds N dispatches of the webhook)");
            String webhookId = Ids.newId(Ids.WEBHOOK);
            DynamoDbClient dynamo = wiring.dynamo();
            new DynamoDbWebhookStore(dynamo, runner.tableName(), Clock.systemUTC()).create(new Webhook(webhookId,
                    "bench", url, List.of(Webhook.ALL_EVENTS), null, true, Instant.now(), Instant.now(),
                    WebhookSigner.newSecret()));
            InspectorBenchmark.Seeder seeder = new InspectorBenchmark.Seeder(dynamo, runner.tableName());
            List<String> oneWebhook = Collections.nCopies(4, webhookId); // the seeder spreads over 4 slots
            WebhookStats stats = wiring.webhookStats();
            int seeded = 0;
            for (int size : new int[] {small, large}) {
                long t0 = System.nanoTime();
                seeder.seed(oneWebhook, seeded, size);
                seeded = size;
                System.out.printf("seeded %,d dispatches in %.1f s%n", size, (System.nanoTime() - t0) / 1e9);
                stats.of("bench", webhookId, null); // warm-up
                ConsumedCapacityInterceptor.start();
                long started = System.nanoTime();
                DeliveryStats result = stats.of("bench", webhookId, null).orElseThrow();
                double ms = (System.nanoTime() - started) / 1e6;
                Map<String, ConsumedCapacityInterceptor.Tally> tallies = ConsumedCapacityInterceptor.stop();
                double rcu = 0;
                long calls = 0;
                for (var e : tallies.entrySet()) {
                    if (!ConsumedCapacityInterceptor.isWrite(e.getKey())) {
                        rcu += e.getValue().total.sum();
                        calls += e.getValue().calls.sum();
                    }
                }
                System.out.printf("RESULT stats over %,d dispatches: %.1f RCU in %d calls, %.0f ms; delivered=%d failed=%d pending=%d intercepted=%d sampled=%s%n",
                        size, rcu, calls, ms, result.delivered(), result.failed(), result.pending(), result.intercepted(),
                        result.sampled());
            }
        }
    }

    /** WCU and RCU per delivery of 10 events to one webhook with this limit, held-back returns included. */
    private static double[] rateLimited(Wiring wiring, LocalRunner runner, String url, Integer limit, IntSupplier received)
            throws Exception {
        String tenant = "bench-" + UUID.randomUUID();
        String id = Ids.newId(Ids.WEBHOOK);
        new DynamoDbWebhookStore(wiring.dynamo(), runner.tableName(), Clock.systemUTC()).create(new Webhook(id, tenant,
                url, List.of(Webhook.ALL_EVENTS), null, true, Instant.now(), Instant.now(), WebhookSigner.newSecret(),
                null, Map.of(), limit, null, null));
        Dispatcher dispatcher = DispatcherWiring.dispatcher(wiring);
        SqsClient sqs = com.astra.webhooks.aws.AwsClients.sqs(wiring.settings());
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new QueueMessage("msg-" + i, Json.write(Map.of("event", "agent_completed", "tenant", tenant,
                    "id", Ids.newId(Ids.EVENT), "data", Map.of("n", i))), Map.of(), 1));
        }
        int before = received.getAsInt();
        ConsumedCapacityInterceptor.start();
        long started = System.nanoTime();
        int rounds = 0;
        int held = 0;
        while (true) {
            if (!dispatcher.process(batch).isEmpty()) {
                throw new IllegalStateException("a message failed");
            }
            rounds++;
            if (received.getAsInt() - before >= 10) {
                break;
            }
            List<Message> back = sqs.receiveMessage(b -> b.queueUrl(runner.eventsQueueUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(20).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            held += back.size();
            batch = new ArrayList<>();
            for (Message m : back) {
                Map<String, String> attributes = new HashMap<>();
                m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
                batch.add(new QueueMessage(m.messageId(), m.body(), attributes, 1));
                sqs.deleteMessage(b -> b.queueUrl(runner.eventsQueueUrl()).receiptHandle(m.receiptHandle()));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, ConsumedCapacityInterceptor.Tally> tallies = ConsumedCapacityInterceptor.stop();
        double wcu = 0;
        double rcu = 0;
        System.out.printf("  %s: 10 deliveries in %.1f s, %d dispatcher calls, %d held-back messages came back%n",
                limit == null ? "unlimited" : "rateLimit " + limit, seconds, rounds, held);
        for (var e : tallies.entrySet()) {
            var t = e.getValue();
            boolean write = ConsumedCapacityInterceptor.isWrite(e.getKey());
            if (write) wcu += t.total.sum(); else rcu += t.total.sum();
            System.out.printf("    %-15s %3d calls  %6.1f %s  failed calls %d%n", e.getKey(), t.calls.sum(), t.total.sum(),
                    write ? "WCU" : "RCU", t.failures.sum());
        }
        sqs.close();
        return new double[] {wcu / 10, rcu / 10};
    }
}
