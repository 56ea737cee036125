package com.astra.webhooks.bench;

import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.SigningMode;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.store.dynamodb.TableLayout;
import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.DispatcherWiring;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the signing mode costs in DynamoDB capacity, as dynoxide reports it
 * ({@link ConsumedCapacityInterceptor}), side by side in one run: creating webhooks through the
 * store the API uses, and delivering 10 events to one webhook through an in-process
 * {@link Dispatcher} built by {@code DispatcherWiring} from the runner's DispatcherFunction environment (as
 * deployed), for {@code hmac}, {@code ed25519}, {@code both}, and {@code both} during a rotation's
 * grace (four signatures). Also the size of the largest stored dispatch item, which the signature
 * header is part of: a dispatch costs one write unit while its item stays under 1 KB. Not a test:
 * a main to run by hand, from the repository root:
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.SigningCostBenchmark 20
 * </pre>
 */
public final class SigningCostBenchmark {

    private static final int EVENTS = 10;

    public static void main(String[] args) throws Exception {
        int creates = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (Receiver receiver = new Receiver().otherwise(Receiver.Answer.body(204, ""));
                LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0))) {
            Wiring wiring = new Wiring(Settings.parse(runner.environment("DispatcherFunction")));
            DynamoDbClient dynamo = wiring.dynamo();
            DynamoDbWebhookStore store = new DynamoDbWebhookStore(dynamo, runner.tableName(), Clock.systemUTC());
            String url = receiver.url("/hooks/a-typical-path");
            IntSupplier received = receiver::count;
            for (String variant : List.of("hmac", "ed25519", "both", "both, rotating")) {
                SigningMode mode = SigningMode.fromWire(variant.split(",")[0]).orElseThrow();
                boolean rotating = variant.contains("rotating");
                String tenant = "bench-" + UUID.randomUUID();
                webhook(store, tenant, url, mode, false); // the tenant's first create also starts its count

                ConsumedCapacityInterceptor.start();
                for (int i = 0; i < creates; i++) {
                    webhook(store, tenant, url, mode, rotating);
                }
                double[] create = capacity(ConsumedCapacityInterceptor.stop(), creates);

                String deliveryTenant = "bench-" + UUID.randomUUID();
                String id = webhook(store, deliveryTenant, url, mode, rotating);
                Dispatcher dispatcher = DispatcherWiring.dispatcher(wiring);
                List<QueueMessage> batch = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    batch.add(new QueueMessage("msg-" + i, Json.write(Map.of("event", "agent_completed", "tenant",
                            deliveryTenant, "id", Ids.newId(Ids.EVENT), "data", Map.of("agent", "summarizer", "n", i))),
                            Map.of(), 1));
                }
                int before = received.getAsInt();
                ConsumedCapacityInterceptor.start();
                if (!dispatcher.process(batch).isEmpty()) {
                    throw new IllegalStateException("a message failed");
                }
                double[] delivery = capacity(ConsumedCapacityInterceptor.stop(), EVENTS);
                if (received.getAsInt() - before != EVENTS) {
                    throw new IllegalStateException("expected " + EVENTS + " deliveries, got " + (received.getAsInt() - before));
                }
                System.out.printf("RESULT %-15s create %.2f WCU + %.2f RCU per webhook (item %d bytes); "
                        + "delivery %.2f WCU + %.2f RCU; largest dispatch item %d bytes%n", variant, create[0], create[1],
                        itemBytes(webhookItem(dynamo, runner.tableName(), deliveryTenant, id)), delivery[0], delivery[1],
                        largestDispatch(dynamo, runner.tableName(), deliveryTenant, id));
            }
        }
        signingCpu();
    }

    /**
     * CPU per signature of one delivery body, HMAC and Ed25519 alternately (after a warm-up), in
     * this JVM: run it with the template's JAVA_TOOL_OPTIONS (C1 only) for the Lambda figure.
     */
    private static void signingCpu() {
        WebhookSigner signer = new WebhookSigner();
        String secret = WebhookSigner.newSecret();
        String privateKey = Ed25519KeyPair.generate().privateKey();
        String body = Json.write(Map.of("id", Ids.newId(Ids.EVENT), "event", "agent_completed",
                "timestamp", Instant.now().toString(), "data", Map.of("agent", "summarizer", "tokens", 1234)));
        int n = 2_000;
        double[] hmac = new double[3];
        double[] ed25519 = new double[3];
        for (int round = -1; round < 3; round++) { // round -1 warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                signer.sign(secret, "evt_1", i, body);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                signer.sign(privateKey, "evt_1", i, body);
            }
            long t2 = System.nanoTime();
            if (round >= 0) {
                hmac[round] = (t1 - t0) / 1e3 / n;
                ed25519[round] = (t2 - t1) / 1e3 / n;
            }
        }
        java.util.Arrays.sort(hmac);
        java.util.Arrays.sort(ed25519);
        System.out.printf("RESULT signing CPU (median of 3 x %d, %s): hmac %.1f us, ed25519 %.1f us per signature (x%.0f)%n",
                n, String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
                hmac[1], ed25519[1], ed25519[1] / hmac[1]);
    }

    private static String webhook(DynamoDbWebhookStore store, String tenant, String url, SigningMode mode, boolean rotating) {
        String id = Ids.newId(Ids.WEBHOOK);
        Instant now = Instant.now();
        Signing signing = mode.usesEd25519()
                ? new Signing(mode, Ed25519KeyPair.generate(), now, rotating ? Ed25519KeyPair.generate() : null,
                        rotating ? now : null, rotating ? now : null, rotating ? now : null)
                : Signing.HMAC;
        store.create(new Webhook(id, tenant, url, List.of(Webhook.ALL_EVENTS), "a typical webhook", true, now, now,
                WebhookSigner.newSecret(), null, Map.of(), null, rotating ? WebhookSigner.newSecret() : null,
                rotating ? now.plusSeconds(3600) : null, null, signing, null, null));
        return id;
    }

    /** WCU and RCU per unit of {@code count}. */
    private static double[] capacity(Map<String, ConsumedCapacityInterceptor.Tally> tallies, int count) {
        double wcu = 0;
        double rcu = 0;
        for (var e : tallies.entrySet()) {
            if (ConsumedCapacityInterceptor.isWrite(e.getKey())) {
                wcu += e.getValue().total.sum();
            } else {
                rcu += e.getValue().total.sum();
            }
        }
        return new double[] {wcu / count, rcu / count};
    }

    private static Map<String, AttributeValue> webhookItem(DynamoDbClient dynamo, String table, String tenant, String id) {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of(TableLayout.PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                TableLayout.SK, AttributeValue.fromS(TableLayout.webhookSortKey(id))))).item();
    }

    /** The largest dispatch item of the tenant (every item but its webhooks and count), by DynamoDB's size rules. */
    private static int largestDispatch(DynamoDbClient dynamo, String table, String tenant, String webhookId) {
        int largest = 0;
        for (var page : dynamo.scanPaginator(b -> b.tableName(table))) {
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue hook = item.get("webhookId");
                if (hook != null && webhookId.equals(hook.s()) && item.containsKey("requestHeaders")) {
                    largest = Math.max(largest, itemBytes(item));
                }
            }
        }
        return largest;
    }

    /** Item size as DynamoDB counts it: names plus values (numbers about one byte per two digits). */
    static int itemBytes(Map<String, AttributeValue> item) {
        int bytes = 0;
        for (var e : item.entrySet()) {
            bytes += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return bytes;
    }

    private static int valueBytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 2;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        int bytes = 3;
        if (v.hasM()) {
            bytes += itemBytes(v.m()) + v.m().size();
        } else if (v.hasL()) {
            for (AttributeValue e : v.l()) {
                bytes += 1 + valueBytes(e);
            }
        }
        return bytes;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
