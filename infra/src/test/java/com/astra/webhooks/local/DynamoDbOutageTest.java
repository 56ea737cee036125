package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.queue.SqsQueues;
import com.astra.webhooks.api.DispatchPageSize;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.dynamodb.DynamoDbRateLimiter;
import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.AutoDisable;
import com.astra.webhooks.worker.BatchReports;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.DispatcherContext;
import com.astra.webhooks.worker.DispatcherHandler;
import com.astra.webhooks.worker.DispatcherWiring;
import com.astra.webhooks.worker.RateLimitGate;
import com.astra.webhooks.worker.SecretErasure;
import com.astra.webhooks.worker.SlowLane;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * DynamoDB going away under the dispatcher. The real DispatcherHandler runs in this JVM against
 * its own dynoxide process (stopped and restarted on the same database file) and its own queues
 * on the shared runner's ElasticMQ; the runner's pollers never see these queues. Messages whose
 * work could not be done must come back in the partial batch response, and only those; once
 * DynamoDB is back they are delivered, and receivers that already had them do not get them again.
 */
@ExtendWith(AstraLocalExtension.class)
class DynamoDbOutageTest {

    private static final String TABLE = "astra-webhooks";

    @TempDir
    Path dbDir;

    private final int port = LocalRunner.freePort();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String tenantA = "t-a-" + UUID.randomUUID();
    private final String tenantB = "t-b-" + UUID.randomUUID();
    private Path binary;
    private Dynoxide dynoxide;
    private Settings config;
    private Wiring wiring;
    private String eventsUrl;
    private String dlqUrl;

    @BeforeEach
    void setUp() {
        binary = Dynoxide.locate().orElseThrow(() -> new IllegalStateException("dynoxide not installed (npm ci in infra/)"));
        startDynoxide();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        eventsUrl = AstraLocalExtension.sqs().createQueue(b -> b.queueName("outage-events-" + suffix)).queueUrl();
        dlqUrl = AstraLocalExtension.sqs().createQueue(b -> b.queueName("outage-dlq-" + suffix)).queueUrl();
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        settings.put(Settings.TABLE_NAME, TABLE);
        settings.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, dynoxide.endpoint());
        settings.put(Settings.AWS_ENDPOINT_URL_SQS, AstraLocalExtension.runner().sqsEndpoint());
        settings.put(Settings.AWS_REGION, LocalRunner.REGION);
        settings.put(Settings.EVENTS_QUEUE_URL, eventsUrl);
        settings.put(Settings.DLQ_URL, dlqUrl);
        config = Settings.parse(settings);
        wiring = new Wiring(config);
        TableSetup.ensure(wiring.dynamo(), TemplateModel.bundled(), "AstraTable", TABLE);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (dynoxide != null) {
            dynoxide.close();
        }
        AstraLocalExtension.sqs().deleteQueue(b -> b.queueUrl(eventsUrl));
        AstraLocalExtension.sqs().deleteQueue(b -> b.queueUrl(dlqUrl));
    }

    @Test
    void batchArrivingWhileDynamoDbIsDownFailsWholeAndIsDeliveredOnceItIsBack() {
        Receiver receiver = track(new Receiver());
        String webhookA = createWebhook(tenantA, receiver.url("/a"));
        String webhookB = createWebhook(tenantB, receiver.url("/b"));
        DispatcherHandler handler = handler(DispatcherWiring.dispatcher(wiring)); // the production wiring
        String batch = batch(message("a1", tenantA, "evt-a1"), message("a2", tenantA, "evt-a2"),
                message("b1", tenantB, "evt-b1"));

        stopDynoxide();
        Instant start = Instant.now();
        Set<String> down = failedIds(handler, batch);
        Duration took = Duration.between(start, Instant.now());

        assertEquals(Set.of("a1", "a2", "b1"), down, "every message whose work could not be done");
        assertEquals(0, receiver.requests("/a").size() + receiver.requests("/b").size(), "nothing was sent");
        assertEquals(0, queued(eventsUrl), "no retry was scheduled");
        assertEquals(0, queued(dlqUrl), "nothing was dead-lettered");
        System.out.println("[outage] whole batch with DynamoDB down: failed " + new java.util.TreeSet<>(down)
                + " in " + took.toMillis() + " ms");

        startDynoxide(); // same database file: the webhooks are still there
        Set<String> back = failedIds(handler, batch); // SQS brings the failed messages back
        assertEquals(Set.of(), back);
        assertEquals(List.of("evt-a1", "evt-a2"), eventIds(receiver, "/a"));
        assertEquals(List.of("evt-b1"), eventIds(receiver, "/b"));

        Set<String> again = failedIds(handler, batch); // a stray redelivery changes nothing
        assertEquals(Set.of(), again);
        assertEquals(2, receiver.requests("/a").size());
        assertEquals(1, receiver.requests("/b").size());
        assertEquals(List.of("delivered", "delivered"), outcomes(tenantA, webhookA));
        assertEquals(List.of("delivered"), outcomes(tenantB, webhookB));
        assertEquals(0, queued(dlqUrl));
    }

    @Test
    void dynamoDbFailingMidBatchFailsOnlyTheAffectedMessages() throws Exception {
        Receiver fast = track(new Receiver());
        Receiver held = track(new Receiver());
        CompletableFuture<Void> release = new CompletableFuture<>();
        held.otherwise(Receiver.Answer.heldUntil(200, release));
        String webhookA = createWebhook(tenantA, fast.url("/a"));
        String webhookB = createWebhook(tenantB, held.url("/b"));
        // The production dispatcher but for the claim lease (there: delivery timeout + 30 s), so
        // that the attempt whose outcome could not be written is taken over within the test.
        Duration lease = Duration.ofSeconds(3);
        DispatcherHandler handler = handler(dispatcher(lease));
        String batch = batch(message("a1", tenantA, "evt-a1"), message("a2", tenantA, "evt-a2"),
                message("b1", tenantB, "evt-b1"));

        CompletableFuture<Set<String>> running = CompletableFuture.supplyAsync(() -> failedIds(handler, batch));
        // tenant A's deliveries complete; tenant B's receiver has the request and holds its answer
        held.await("/b", 1, Duration.ofSeconds(30)); // tenant B's delivery started
        Eventually.await(Duration.ofSeconds(30), "tenant A's deliveries to be recorded",
                () -> "delivered".equals(state(tenantA, "evt-a1", webhookA)) && "delivered".equals(state(tenantA, "evt-a2", webhookA)));
        stopDynoxide(); // in the middle of the batch: B was sent, its outcome is not written yet
        release.complete(null);
        Set<String> response = running.get(120, TimeUnit.SECONDS);

        assertEquals(Set.of("b1"), response, "only the message whose work was cut off");
        assertEquals(List.of("evt-a1", "evt-a2"), eventIds(fast, "/a"));
        assertEquals(List.of("evt-b1"), eventIds(held, "/b"));

        startDynoxide();
        // SQS brings b1 back (here: as often as it fails). Its claim is still held by the attempt
        // that died unrecorded, so it is busy until the lease runs out, then sent again.
        Instant back = Instant.now();
        AtomicInteger rounds = new AtomicInteger();
        String redelivered = batch(message("b1", tenantB, "evt-b1"));
        Eventually.await(Duration.ofSeconds(30), "b1 to succeed once DynamoDB is back", () -> {
            rounds.incrementAndGet();
            return failedIds(handler, redelivered).isEmpty();
        });
        System.out.println("[outage] mid-batch: failed [b1] only; after the restart b1 was busy for "
                + Duration.between(back, Instant.now()).toMillis() + " ms (" + rounds.get()
                + " redeliveries, lease " + lease.toSeconds() + " s), then re-sent: tenant B's receiver got evt-b1 "
                + held.requests("/b").size() + " times (the first send could not be recorded), tenant A's receiver "
                + fast.requests("/a").size() + " requests for 2 events");
        assertEquals(List.of("evt-b1", "evt-b1"), eventIds(held, "/b"),
                "the send whose outcome was lost is repeated once: at least once, never lost");
        assertEquals(List.of("delivered"), outcomes(tenantB, webhookB));

        // the whole batch again, as a late redelivery: nobody gets anything twice more
        assertEquals(Set.of(), failedIds(handler, batch));
        assertEquals(List.of("evt-a1", "evt-a2"), eventIds(fast, "/a"), "tenant A's receiver is not sent anything again");
        assertEquals(2, held.requests("/b").size());
        assertEquals(List.of("delivered", "delivered"), outcomes(tenantA, webhookA));
        assertEquals(0, queued(dlqUrl), "nothing was dead-lettered");
        assertEquals(0, queued(eventsUrl), "no retry was scheduled: every delivery succeeded");
    }

    // --- helpers -------------------------------------------------------------------------------

    private Dispatcher dispatcher(Duration lease) {
        SqsQueues queues = new SqsQueues(AwsClients.sqs(config), eventsUrl, dlqUrl);
        ExecutorService delivery = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "outage-delivery");
            t.setDaemon(true);
            return t;
        });
        return new Dispatcher(new DispatcherContext(wiring.webhookStore(), wiring.eventStore(),
                wiring.dispatchStore(), wiring.testModeStore(), queues, wiring.sender(), wiring.catalog(),
                config.retrySchedule(), wiring.retention(), lease, delivery, Clock.systemUTC()),
                new SecretErasure(wiring.webhookStore(), (tenant, id, at) -> {}, Clock.systemUTC()),
                new RateLimitGate(new DynamoDbRateLimiter(wiring.dynamo(), config.tableName()), queues,
                        Clock.systemUTC(), delivery),
                new Recovery(wiring.webhookStore(), wiring.dispatchStore(), queues, Clock.systemUTC()),
                new AutoDisable(wiring.webhookStore(), queues, config.disableAfter(), Clock.systemUTC()),
                SlowLane.none());
    }

    private void startDynoxide() {
        try {
            dynoxide = Dynoxide.start(binary, port, dbDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> endpoint = Map.of(Settings.AWS_ENDPOINT_URL_DYNAMODB, dynoxide.endpoint(),
                Settings.AWS_REGION, LocalRunner.REGION);
        try (DynamoDbClient probe = AwsClients.dynamoDb(Settings.parse(endpoint))) {
            Eventually.await(Duration.ofSeconds(30), "dynoxide on port " + port, () -> {
                try {
                    probe.listTables(b -> b.limit(1));
                    return true;
                } catch (SdkException e) {
                    return false;
                }
            });
        }
    }

    private void stopDynoxide() {
        dynoxide.close();
        dynoxide = null;
    }

    private String createWebhook(String tenant, String url) {
        return wiring.webhookService().create(tenant, Map.of("url", url, "events", List.of("agent_completed"))).id();
    }

    /** The outcome recorded for the pair's attempt, or null while none is. */
    private String state(String tenant, String eventId, String webhookId) {
        return wiring.dispatchHistory().list(tenant, new DispatchHistory.Filter(webhookId, null, null), 50, null, DispatchPageSize.LIMIT)
                .items().stream().filter(d -> d.eventId().equals(eventId)).map(d -> d.outcome().wire())
                .findFirst().orElse(null);
    }

    private List<String> outcomes(String tenant, String webhookId) {
        return wiring.dispatchHistory().list(tenant, new DispatchHistory.Filter(webhookId, null, null), 50, null, DispatchPageSize.LIMIT)
                .items().stream().map(d -> d.outcome().wire()).toList();
    }

    /** A batch as the SQS event source sends it to Lambda. */
    @SafeVarargs
    private static String batch(Map<String, Object>... records) {
        return com.astra.webhooks.core.Json.write(Map.of("Records", List.of(records)));
    }

    private static Map<String, Object> message(String messageId, String tenant, String eventId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", messageId);
        m.put("receiptHandle", "rh-" + messageId);
        m.put("body", "{\"event\":\"agent_completed\",\"tenant\":\"" + tenant + "\",\"id\":\"" + eventId
                + "\",\"data\":{\"k\":\"v\"}}");
        m.put("attributes", Map.of("ApproximateReceiveCount", "1"));
        m.put("messageAttributes", Map.of());
        m.put("eventSource", "aws:sqs");
        return m;
    }

    /** Invokes the handler with the batch's JSON as Lambda does; the ids its partial batch response names. */
    private static Set<String> failedIds(DispatcherHandler handler, String batch) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(batch.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    out, null);
            return ((List<?>) com.astra.webhooks.core.Json.parseObject(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .get("batchItemFailures")).stream().map(f -> String.valueOf(((Map<?, ?>) f).get("itemIdentifier")))
                    .collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> eventIds(Receiver receiver, String path) {
        return receiver.requests(path).stream().map(r -> r.header("webhook-id")).sorted().toList();
    }

    private static int queued(String url) {
        Map<QueueAttributeName, String> a = AstraLocalExtension.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** The Lambda handler over {@code dispatcher}, reporting as on AWS with a 10 s delivery timeout. */
    private static DispatcherHandler handler(Dispatcher dispatcher) {
        return new DispatcherHandler(dispatcher, new BatchReports(Duration.ofSeconds(10), Clock.systemUTC()));
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }
}
