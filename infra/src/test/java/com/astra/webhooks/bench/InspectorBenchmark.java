package com.astra.webhooks.bench;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.api.DispatchPageSize;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchHistory;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import com.astra.webhooks.store.dynamodb.DynamoDbTestModeStore;
import com.astra.webhooks.store.dynamodb.DynamoDbEventStore;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.model.Webhook;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What one inspector page costs with 1,000 and with 100,000 dispatches of the tenant in the table:
 * DynamoDB calls, read capacity and median latency of the same pages at both sizes. Not a test:
 * a main to run by hand.
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.InspectorBenchmark 1000 100000 50
 * </pre>
 *
 * (arguments: small size, large size, timed runs per page; run from the repository root. The
 * reactor build resolves functions from its target/classes; {@code mvn -pl infra exec:java} alone
 * would need astra-functions installed in the local repository.)
 *
 * It starts the runner in memory on free ports (dynoxide as the DynamoDB), seeds dispatches through
 * {@link DynamoDbDispatchStore#put} and payloads through {@link DynamoDbEventStore#putIfAbsent}
 * (their own item mapping, captured and written 25 at a time with BatchWriteItem), then times
 * {@link DynamoDbDispatchHistory#list} on a client that counts calls and asks for ConsumedCapacity,
 * and the same pages end to end over HTTP through the runner's API. Read units are also computed
 * from the bytes each call read (DynamoDB's rule: 4 KB units, eventually consistent = half), in
 * case the emulator does not report them.
 *
 * Mix, cycling every 200 dispatches: type agent_completed 50 %, tool.executed 45 %, agent.failed 5 %;
 * outcome failed 10 %, intercepted 10 %, delivered 80 %, independent of the type; 4 webhooks.
 */
public final class InspectorBenchmark {

    private static final String TENANT = "bench";
    private static final int WEBHOOKS = 4;

    public static void main(String[] args) throws Exception {
        int small = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true)
                .setting("JWT_SECRET", "bench-secret"))) {
            Counter counter = new Counter();
            DynamoDbClient dynamo = DynamoDbClient.builder()
                    .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                    .region(Region.US_EAST_1)
                    .endpointOverride(URI.create(runner.dynamoEndpoint()))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                    .build();
            DynamoDbEventStore events = new DynamoDbEventStore(dynamo, runner.tableName());
            DynamoDbDispatchHistory store = new DynamoDbDispatchHistory(dynamo, runner.tableName(), events,
                    new DynamoDbTestModeStore(dynamo, runner.tableName()));
            Seeder seeder = new Seeder(dynamo, runner.tableName());
            String token = runner.token(TENANT);
            List<String> webhookIds = new ArrayList<>();
            // The tenant's webhooks: a tenant-wide list reads their partitions.
            DynamoDbWebhookStore hooks = new DynamoDbWebhookStore(dynamo, runner.tableName(), java.time.Clock.systemUTC());
            for (int i = 0; i < WEBHOOKS; i++) {
                String id = Ids.newId(Ids.WEBHOOK);
                webhookIds.add(id);
                hooks.create(new Webhook(id, TENANT, "https://example.com/hooks/" + i, List.of(Webhook.ALL_EVENTS), null,
                        true, Instant.now(), Instant.now(), WebhookSigner.newSecret()));
            }

            List<Query> queries = List.of(
                    new Query("first page, no filter", DispatchHistory.Filter.NONE, ""),
                    new Query("eventType=agent_completed (50 %)", new DispatchHistory.Filter(null, "agent_completed", null),
                            "&eventType=agent_completed"),
                    new Query("eventType=agent.failed (5 %)", new DispatchHistory.Filter(null, "agent.failed", null),
                            "&eventType=agent.failed"),
                    new Query("webhookId (25 %)", new DispatchHistory.Filter(webhookIds.get(1), null, null),
                            "&webhookId=" + webhookIds.get(1)),
                    new Query("outcome=failed (10 %)", new DispatchHistory.Filter(null, null, "failed"), "&outcome=failed"),
                    new Query("eventType=agent_completed&outcome=failed (5 %, no own index)",
                            new DispatchHistory.Filter(null, "agent_completed", "failed"), "&eventType=agent_completed&outcome=failed"));

            Map<String, Result[]> results = new LinkedHashMap<>();
            int seeded = 0;
            int[] sizes = {small, large};
            for (int s = 0; s < sizes.length; s++) {
                long t0 = System.nanoTime();
                seeder.seed(webhookIds, seeded, sizes[s]);
                seeded = sizes[s];
                System.out.printf("seeded %,d dispatches in %.1f s%n", seeded, (System.nanoTime() - t0) / 1e9);
                for (Query q : queries) {
                    results.computeIfAbsent(q.name, k -> new Result[2])[s] = measure(store, counter, q, runner, token, runs);
                }
            }

            System.out.printf("%nlimit=50, %d runs each, median latency; reads per page%n", runs);
            System.out.printf("%-48s | %-44s | %-44s%n", "page", String.format("%,d dispatches", small),
                    String.format("%,d dispatches", large));
            for (var e : results.entrySet()) {
                System.out.printf("%-48s | %-44s | %-44s%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
        }
    }

    private record Query(String name, DispatchHistory.Filter filter, String query) {}

    /** One page's figures: items, DynamoDB calls, RCU (reported / computed), median store and HTTP latency. */
    private record Result(int items, int calls, double reportedRcu, double computedRcu, double storeMs, double httpMs) {
        @Override
        public String toString() {
            return String.format("%d items, %d calls, %s RCU, %.1f ms store, %.1f ms HTTP", items, calls,
                    reportedRcu < 0 ? String.format("%.1f (computed; none reported)", computedRcu)
                            : String.format("%.1f (computed %.1f)", reportedRcu, computedRcu),
                    storeMs, httpMs);
        }
    }

    private static Result measure(DynamoDbDispatchHistory store, Counter counter, Query q, LocalRunner runner, String token,
            int runs) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(runner.httpUrl() + "/webhook-inspector?limit=50"
                        + q.query))
                .header("Authorization", "Bearer " + token).GET().build();
        for (int i = 0; i < 5; i++) { // warm-up: JIT and connections
            store.list(TENANT, q.filter, 50, null, DispatchPageSize.LIMIT);
            http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        counter.reset();
        Page<Dispatch> page = store.list(TENANT, q.filter, 50, null, DispatchPageSize.LIMIT);
        int calls = counter.calls.get();
        double reported = counter.reported.sum();
        double computed = counter.computed.sum();
        boolean anyReported = counter.anyReported;
        if (page.items().size() != 50) {
            throw new IllegalStateException(q.name + ": expected a full page, got " + page.items().size());
        }
        List<Double> storeTimes = new ArrayList<>();
        List<Double> httpTimes = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            store.list(TENANT, q.filter, 50, null, DispatchPageSize.LIMIT);
            storeTimes.add((System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            httpTimes.add((System.nanoTime() - t0) / 1e6);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(q.name + ": HTTP " + r.statusCode() + " " + r.body());
            }
        }
        return new Result(page.items().size(), calls, anyReported ? reported : -1, computed, median(storeTimes),
                median(httpTimes));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Counts DynamoDB calls and read units; asks every read for its ConsumedCapacity. */
    static final class Counter implements ExecutionInterceptor {
        final AtomicInteger calls = new AtomicInteger();
        final DoubleAdder reported = new DoubleAdder();
        final DoubleAdder computed = new DoubleAdder();
        volatile boolean anyReported;

        void reset() {
            calls.set(0);
            reported.reset();
            computed.reset();
            anyReported = false;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            SdkRequest r = context.request();
            if (r instanceof QueryRequest q) {
                return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (r instanceof BatchGetItemRequest b) {
                return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            return r;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            calls.incrementAndGet();
            if (context.response() instanceof QueryResponse q) {
                if (q.consumedCapacity() != null && q.consumedCapacity().capacityUnits() != null) {
                    reported.add(q.consumedCapacity().capacityUnits());
                    anyReported = true;
                }
                // A Query is charged on the total size of the items it read, rounded up to 4 KB.
                long bytes = q.items().stream().mapToLong(Counter::itemBytes).sum();
                computed.add(Math.max(1, Math.ceil(bytes / 4096.0)) * 0.5);
            } else if (context.response() instanceof BatchGetItemResponse b) {
                if (b.hasConsumedCapacity()) {
                    for (ConsumedCapacity c : b.consumedCapacity()) {
                        if (c.capacityUnits() != null) {
                            reported.add(c.capacityUnits());
                            anyReported = true;
                        }
                    }
                }
                // BatchGetItem is charged per item, each rounded up to 4 KB (projections do not lower it:
                // the event items' sizes are estimated from what came back, a lower bound).
                b.responses().values().forEach(items -> items.forEach(
                        item -> computed.add(Math.max(1, Math.ceil(itemBytes(item) / 4096.0)) * 0.5)));
            }
        }

        static long itemBytes(Map<String, AttributeValue> item) {
            long n = 0;
            for (var e : item.entrySet()) {
                n += e.getKey().length() + valueBytes(e.getValue());
            }
            return n;
        }

        private static long valueBytes(AttributeValue v) {
            if (v.s() != null) {
                return v.s().getBytes(StandardCharsets.UTF_8).length;
            }
            if (v.n() != null) {
                return v.n().length();
            }
            if (v.bool() != null) {
                return 1;
            }
            if (v.hasM()) {
                return 3 + itemBytes(v.m());
            }
            return 1;
        }
    }

    /**
     * Writes dispatches and their events with the stores' own item mapping: the stores write to a
     * capturing client, whose items then go to dynoxide 25 at a time on a few threads.
     */
    static final class Seeder {
        private final DynamoDbClient real;
        private final String table;
        private final List<Map<String, AttributeValue>> captured = Collections.synchronizedList(new ArrayList<>());
        private final DynamoDbClient capturing;

        Seeder(DynamoDbClient real, String table) {
            this.real = real;
            this.table = table;
            this.capturing = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                    new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                        if (method.getName().equals("putItem") && args.length == 1) {
                            PutItemRequest put;
                            if (args[0] instanceof PutItemRequest p) {
                                put = p;
                            } else {
                                @SuppressWarnings("unchecked")
                                Consumer<PutItemRequest.Builder> c = (Consumer<PutItemRequest.Builder>) args[0];
                                PutItemRequest.Builder b = PutItemRequest.builder();
                                c.accept(b);
                                put = b.build();
                            }
                            captured.add(put.item());
                            return PutItemResponse.builder().build();
                        }
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        void seed(List<String> webhookIds, int from, int to)
                throws Exception {
            DynamoDbEventStore events = new DynamoDbEventStore(capturing, table);
            DynamoDbDispatchStore dispatches = new DynamoDbDispatchStore(capturing, table, Duration.ofDays(30));
            String payloadData = "x".repeat(600);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> pending = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    String type = switch (i % 20) {
                        case 0 -> "agent.failed";
                        case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 -> "agent_completed";
                        default -> "tool.executed";
                    };
                    int band = (i / 20) % 10;
                    Dispatch.Outcome outcome = band == 0 ? Dispatch.Outcome.FAILED
                            : band == 1 ? Dispatch.Outcome.INTERCEPTED : Dispatch.Outcome.DELIVERED;
                    String eventId = Ids.newId(Ids.EVENT);
                    Instant now = Instant.now();
                    String payload = "{\"id\":\"" + eventId + "\",\"event\":\"" + type + "\",\"timestamp\":\"" + now
                            + "\",\"data\":{\"text\":\"" + payloadData + "\"}}";
                    events.putIfAbsent(TENANT, eventId, type, payload, now, now.plus(Duration.ofDays(30)));
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("content-type", "application/json");
                    headers.put("user-agent", "astra-webhooks/bench");
                    headers.put("webhook-id", eventId);
                    headers.put("webhook-timestamp", Long.toString(now.getEpochSecond()));
                    headers.put("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
                    boolean failed = outcome == Dispatch.Outcome.FAILED;
                    dispatches.put(new Dispatch(Ids.newId(Ids.DISPATCH), TENANT, webhookIds.get(i % WEBHOOKS), eventId,
                            type, "https://example.com/hooks/" + (i % WEBHOOKS), 1, outcome,
                            outcome == Dispatch.Outcome.INTERCEPTED ? null : failed ? 500 : 200,
                            failed ? "internal error" : "ok", 37, failed ? "HTTP 500" : null, headers, null, now,
                            failed ? now.plusSeconds(5) : null, Dispatch.Trigger.EVENT));
                    if (captured.size() >= 250) {
                        pending.add(pool.submit(writer(drain())));
                    }
                }
                pending.add(pool.submit(writer(drain())));
                for (Future<?> f : pending) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }

        private List<Map<String, AttributeValue>> drain() {
            synchronized (captured) {
                List<Map<String, AttributeValue>> items = new ArrayList<>(captured);
                captured.clear();
                return items;
            }
        }

        private Runnable writer(List<Map<String, AttributeValue>> items) {
            return () -> {
                for (int from = 0; from < items.size(); from += 25) {
                    List<WriteRequest> batch = items.subList(from, Math.min(items.size(), from + 25)).stream()
                            .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build()).toList();
                    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
                    while (!pending.isEmpty()) {
                        Map<String, List<WriteRequest>> send = pending;
                        var response = real.batchWriteItem(b -> b.requestItems(send));
                        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                    }
                }
            };
        }
    }
}
