package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.local.DynamoDbFaultProxy.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Real traffic through the runner with its DynamoDB behind {@link DynamoDbFaultProxy}: a fifth of
 * all calls fail (throttled, 500, reset, slow), and for writes some of those are applied and then
 * answered 500 or reset, the outcome a caller cannot tell from "not applied". Every event must
 * reach every webhook; every POST must be one record in the inspector with its outcome, the
 * failed ones with their retry; and the run must drain well inside the events queue's
 * visibility timeout (360 s), so no message was handed back for an ambiguous write.
 *
 * <p>{@code -Dfaults.events=N -Dfaults.rate=R -Dfaults.seed=S} change the load, the fault rate
 * and the dice (docs/faults.md).
 */
class DynamoDbFaultsTest {

    private static final int EVENTS = Integer.getInteger("faults.events", 300);
    private static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "0.20"));
    private static final long SEED = Long.getLong("faults.seed", 18L);
    /** The first requests to webhook A are answered 500: their events go through a retry. */
    private static final int FAILING = 30;
    /**
     * Below the events queue's 360 s visibility timeout, so that one handed-back message would
     * miss it: 100 s, more for a larger run (2,000 events: 200 s).
     */
    private static final Duration DRAIN = Duration.ofSeconds(Math.min(300, Math.max(100, EVENTS / 10)));
    private static final Set<String> OPERATIONS = Set.of("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem",
            "DeleteItem", "BatchWriteItem", "TransactWriteItems", "TransactGetItems");

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void withAFifthOfDynamoDbCallsFailingAndSomeWritesAppliedThenFailedNothingIsLostOrDoubled() throws Exception {
        Dynoxide dynoxide = track(Dynoxide.start(Dynoxide.locate().orElseThrow(), LocalRunner.freePort(), null));
        DynamoDbFaultProxy proxy = track(new DynamoDbFaultProxy(dynoxide.endpoint(), SEED));
        proxy.latencyMillis = 300;
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        // A slow POST under a loaded machine must not read as a failure: this test counts failures.
        settings.put(Settings.DELIVERY_TIMEOUT_MS, "10000");
        settings.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, proxy.endpoint());
        LocalRunner runner = track(LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).settings(settings)));
        Receiver receiver = track(new Receiver());
        SqsClient sqs = track(AwsClients.sqs(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint(),
                Settings.AWS_REGION, LocalRunner.REGION))));
        String tenant = "t-" + UUID.randomUUID();
        String token = TokenIssuer.issueHs256("test-secret", tenant, Duration.ofHours(1));
        Http http = new Http(runner.httpUrl());
        Map<String, String> webhooks = new TreeMap<>();
        for (String path : List.of("/a", "/b")) {
            Http.Response created = http.post("/webhooks", token,
                    "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"agent_completed\"]}");
            assertEquals(201, created.status(), created.body());
            webhooks.put(path, (String) WebhookApiTest.json(created).get("id"));
        }
        Receiver.Answer[] failing = new Receiver.Answer[FAILING];
        Arrays.fill(failing, Receiver.Answer.status(500));
        receiver.script("/a", failing);

        // A fifth of every operation's calls fail or come late; for a write, two faults in seven
        // are the ambiguous kind: applied, then answered 500 or cut off.
        Set<String> reads = new TreeSet<>(OPERATIONS);
        reads.removeAll(DynamoDbFaultProxy.WRITES);
        proxy.mix(reads, RATE, Fault.THROTTLE, Fault.THROTTLING_EXCEPTION, Fault.SERVER_ERROR, Fault.RESET, Fault.LATENCY);
        proxy.mix(DynamoDbFaultProxy.WRITES, RATE, Fault.THROTTLE, Fault.THROTTLING_EXCEPTION, Fault.SERVER_ERROR,
                Fault.RESET, Fault.LATENCY, Fault.APPLIED_THEN_500, Fault.APPLIED_THEN_RESET);

        Instant start = Instant.now();
        Set<String> pushed = push(sqs, runner.eventsQueueUrl(), tenant);
        try {
            Eventually.await(DRAIN, "every event at both webhooks",
                    () -> ids(receiver, "/a").containsAll(pushed) && ids(receiver, "/b").containsAll(pushed));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": missing at /a " + missing(pushed, receiver, "/a")
                    + ", at /b " + missing(pushed, receiver, "/b") + " of " + EVENTS + "; injected " + proxy.report(), e);
        }
        Eventually.await(Duration.ofSeconds(30), "the events queue to drain", () -> queueEmpty(sqs, runner.eventsQueueUrl()));
        Duration drained = Duration.between(start, Instant.now());
        proxy.heal();
        System.out.println("[faults] " + EVENTS + " events x 2 webhooks, fault rate " + RATE + ", seed " + SEED
                + ": drained in " + drained.toMillis() + " ms; injected " + proxy.report());
        assertTrue(proxy.injected(Fault.APPLIED_THEN_500) + proxy.injected(Fault.APPLIED_THEN_RESET) > 20,
                "the run met ambiguous writes: " + proxy.report());

        assertTrue(queueEmpty(sqs, runner.dlqUrl()), "nothing was dead-lettered");
        for (Map.Entry<String, String> webhook : webhooks.entrySet()) {
            String path = webhook.getKey();
            assertEquals(pushed, ids(receiver, path), "every event reached " + path);
            List<Map<String, Object>> records = records(http, token, webhook.getValue());
            Map<String, List<Map<String, Object>>> byEvent = records.stream()
                    .collect(Collectors.groupingBy(r -> (String) r.get("eventId")));
            Map<String, Long> posts = receiver.requests(path).stream()
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            assertEquals(posts.keySet(), byEvent.keySet(), "a record for every event sent to " + path);
            for (String event : pushed) {
                List<Map<String, Object>> attempts = new ArrayList<>(byEvent.get(event));
                attempts.sort(Comparator.comparingInt(r -> ((Number) r.get("attempt")).intValue()));
                assertEquals(posts.get(event).intValue(), attempts.size(),
                        "one record per POST of " + event + " to " + path + ": " + attempts);
                for (int i = 0; i < attempts.size(); i++) {
                    Map<String, Object> a = attempts.get(i);
                    assertEquals(i + 1, ((Number) a.get("attempt")).intValue(), "attempts 1..n, each once: " + attempts);
                    if (i < attempts.size() - 1) {
                        assertEquals("failed", a.get("outcome"), a.toString());
                        assertNotNull(a.get("nextAttemptAt"), "a failed attempt with its retry: " + a);
                    } else {
                        assertEquals("delivered", a.get("outcome"), a.toString());
                        assertNull(a.get("nextAttemptAt"), a.toString());
                    }
                }
            }
            long failed = records.stream().filter(r -> "failed".equals(r.get("outcome"))).count();
            assertEquals("/a".equals(path) ? FAILING : 0, failed, "the failed records are the 500s " + path + " gave");
        }
    }

    /**
     * Every DynamoDB call throttled, answered 500 or reset for a while ({@code -Dfaults.outageSeconds},
     * 15 by default; docs/faults.md runs 60): the API answers 503 service_unavailable with
     * Retry-After well inside its 30 s, events pushed meanwhile are delivered once DynamoDB is back,
     * and none is lost. The events queue's visibility timeout is 30 s here instead of the
     * template's 360 s, so that messages handed back during the outage return within the test.
     */
    @Test
    void anOutageOfEveryCallIsAnswered503WithRetryAfterInTimeAndDeliveriesResumeAfterIt(@TempDir Path dir)
            throws Exception {
        Dynoxide dynoxide = track(Dynoxide.start(Dynoxide.locate().orElseThrow(), LocalRunner.freePort(), null));
        DynamoDbFaultProxy proxy = track(new DynamoDbFaultProxy(dynoxide.endpoint(), SEED));
        Path template = dir.resolve("template.yaml");
        try (var in = TemplateModel.class.getClassLoader().getResourceAsStream("template.yaml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("VisibilityTimeout: 360"), "the template's visibility timeout");
            Files.writeString(template, text.replace("VisibilityTimeout: 360", "VisibilityTimeout: 30"));
        }
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        settings.put(Settings.DELIVERY_TIMEOUT_MS, "10000");
        settings.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, proxy.endpoint());
        LocalRunner runner = track(LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true)
                .template(template).settings(settings)));
        Receiver receiver = track(new Receiver());
        SqsClient sqs = track(AwsClients.sqs(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint(),
                Settings.AWS_REGION, LocalRunner.REGION))));
        String tenant = "t-" + UUID.randomUUID();
        String token = TokenIssuer.issueHs256("test-secret", tenant, Duration.ofHours(1));
        Http http = new Http(runner.httpUrl());
        String create = "{\"url\":\"" + receiver.url("/hook") + "\",\"events\":[\"agent_completed\"]}";
        assertEquals(201, http.post("/webhooks", token, create).status());
        Set<String> before = push(sqs, runner.eventsQueueUrl(), tenant, 20);
        Eventually.await(Duration.ofSeconds(60), "the events before the outage", () -> ids(receiver, "/hook").containsAll(before));

        proxy.outage(Fault.THROTTLE, Fault.THROTTLING_EXCEPTION, Fault.SERVER_ERROR, Fault.RESET);
        Instant outageEnds = Instant.now().plusSeconds(OUTAGE_SECONDS);
        Set<String> during = push(sqs, runner.eventsQueueUrl(), tenant, 20);
        int answers = 0;
        while (Instant.now().isBefore(outageEnds)) {
            for (Http.Response r : List.of(timed(() -> http.get("/webhooks", token)),
                    timed(() -> http.post("/webhooks", token, create)),
                    timed(() -> http.get("/webhook-inspector", token)))) {
                answers++;
                assertEquals(503, r.status(), r.body());
                assertEquals("service_unavailable", ((Map<?, ?>) WebhookApiTest.json(r).get("error")).get("code"), r.body());
                assertEquals("5", r.headers().firstValue("retry-after").orElse(null), "Retry-After on " + r.body());
            }
        }
        proxy.heal();
        Instant healed = Instant.now();
        Duration slowest = slowestAnswer;
        System.out.println("[faults] outage of " + OUTAGE_SECONDS + " s: " + answers + " API answers, all 503 with"
                + " Retry-After, the slowest in " + slowest.toMillis() + " ms; injected " + proxy.report());
        assertTrue(slowest.compareTo(Duration.ofSeconds(25)) < 0, "every 503 well inside the 30 s timeout: " + slowest);

        Eventually.await(Duration.ofSeconds(120), "the events pushed during the outage",
                () -> ids(receiver, "/hook").containsAll(during));
        System.out.println("[faults] after the outage, its events were delivered within "
                + Duration.between(healed, Instant.now()).toMillis() + " ms (queue visibility timeout 30 s)");
        Eventually.await(Duration.ofSeconds(30), "the events queue to drain", () -> queueEmpty(sqs, runner.eventsQueueUrl()));
        assertTrue(queueEmpty(sqs, runner.dlqUrl()), "nothing was dead-lettered");
        assertEquals(200, http.get("/webhooks", token).status(), "the API is back");
    }

    private static final int OUTAGE_SECONDS = Integer.getInteger("faults.outageSeconds", 15);
    private Duration slowestAnswer = Duration.ZERO;

    /** Makes the call and keeps the longest any took. */
    private Http.Response timed(Supplier<Http.Response> call) {
        Instant start = Instant.now();
        Http.Response r = call.get();
        Duration took = Duration.between(start, Instant.now());
        slowestAnswer = took.compareTo(slowestAnswer) > 0 ? took : slowestAnswer;
        return r;
    }

    /** Every record of a webhook from the inspector, page after page. */
    private static List<Map<String, Object>> records(Http http, String token, String webhookId) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http.get("/webhook-inspector?webhookId=" + webhookId + "&limit=100"
                    + (cursor == null ? "" : "&cursor=" + TenantClient.enc(cursor)), token);
            assertEquals(200, page.status(), page.body());
            Map<String, Object> body = WebhookApiTest.json(page);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> data = (List<Map<String, Object>>) body.get("data");
            all.addAll(data);
            cursor = (String) body.get("nextCursor");
        } while (cursor != null);
        return all;
    }

    private static Set<String> push(SqsClient sqs, String queueUrl, String tenant) {
        return push(sqs, queueUrl, tenant, EVENTS);
    }

    private static Set<String> push(SqsClient sqs, String queueUrl, String tenant, int count) {
        Set<String> ids = new TreeSet<>();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
            ids.add(id);
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(Json.write(Map.of(
                    "event", "agent_completed", "tenant", tenant, "id", id, "data", Map.of("n", i)))).build());
            if (entries.size() == 10 || i == count - 1) {
                List<SendMessageBatchRequestEntry> batch = entries;
                assertEquals(0, sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch)).failed().size());
                entries = new ArrayList<>();
            }
        }
        return ids;
    }

    private static int missing(Set<String> pushed, Receiver receiver, String path) {
        Set<String> left = new TreeSet<>(pushed);
        left.removeAll(ids(receiver, path));
        return left.size();
    }

    private static Set<String> ids(Receiver receiver, String path) {
        return receiver.requests(path).stream().map(r -> r.header("webhook-id")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean queueEmpty(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().allMatch("0"::equals);
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }
}
