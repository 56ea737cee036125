package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.local.Receiver.Answer;
import com.svix.Webhook;
import com.svix.exceptions.WebhookVerificationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Events pushed on the SQS queue with the AWS SDK, delivered by the runner's real dispatcher to
 * real HTTP receivers on loopback, and read back through the API: signing, retries, idempotency,
 * poison messages, concurrency, failure recording, and the delivery history.
 *
 * <p>RETRY_SCHEDULE is 1s x7 here (8 attempts). Where a test must show that something does NOT
 * happen, it waits for a later sentinel delivery and for the events queue to be empty (nothing
 * visible, in flight or delayed), which means the dispatcher has consumed everything sent
 * before, instead of sleeping.
 */
@ExtendWith(AstraLocalExtension.class)
class DispatchDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SAMPLE_EVENT = Path.of("../events/agent-completed.message.json");

    private final Http http = AstraLocalExtension.http();
    private final SqsClient sqs = AstraLocalExtension.sqs();
    private final String tenant = "t-" + UUID.randomUUID();
    private final String token = AstraLocalExtension.token(tenant);
    private final Receiver receiver = new Receiver();

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private record Hook(String id, String secret, String path) {}

    private Hook webhook(String path, String... events) {
        return webhook(path, true, events);
    }

    private Hook webhook(String path, boolean enabled, String... events) {
        String body = Json.write(Map.of("url", receiver.url(path), "events", List.of(events), "enabled", enabled));
        Http.Response r = http.post("/webhooks", token, body);
        assertEquals(201, r.status(), r.body());
        return new Hook((String) json(r).get("id"), (String) json(r).get("secret"), path);
    }

    /** The sample event from events/, for this test's tenant, with a fresh id unless given. */
    private String event(String type, String id) {
        try {
            Map<String, Object> doc = Json.parseObject(Files.readString(SAMPLE_EVENT));
            doc.put("tenant", tenant);
            doc.put("event", type);
            doc.put("id", id);
            return Json.write(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    private String push(String type) {
        String id = newEventId();
        pushRaw(event(type, id));
        return id;
    }

    private void pushRaw(String body) {
        sqs.sendMessage(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl()).messageBody(body));
    }

    /** Sends up to 10 bodies in ONE SendMessageBatch call, so they reach the dispatcher together. */
    private void pushBatch(List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i)).build());
        }
        SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl())
                .entries(entries));
        assertTrue(r.failed().isEmpty(), r.failed().toString());
    }

    private List<Map<String, Object>> deliveries(Hook hook) {
        Http.Response r = http.get("/webhooks/" + hook.id() + "/deliveries?limit=200", token);
        assertEquals(200, r.status(), r.body());
        return data(r);
    }

    /** Waits until the webhook's history holds at least {@code n} dispatches; returns them oldest first. */
    private List<Map<String, Object>> awaitDeliveries(Hook hook, int n) {
        Eventually.await(WAIT, n + " dispatch record(s) of " + hook.path(), () -> deliveries(hook).size() >= n);
        List<Map<String, Object>> newestFirst = deliveries(hook);
        List<Map<String, Object>> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /**
     * Nothing visible, in flight or delayed on the events queue: every message sent before,
     * and every retry they scheduled, has been consumed.
     */
    private void awaitQueueDrained() {
        Eventually.await(Duration.ofSeconds(40), "the events queue to drain", () -> {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b
                    .queueUrl(AstraLocalExtension.eventsQueueUrl())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                    .attributes();
            return a.values().stream().allMatch("0"::equals);
        });
    }

    /** A later event to another path of the same receiver, delivered; then the queue drained. */
    private void awaitDispatcherMovedOn() {
        Hook sentinel = webhook("/sentinel-" + UUID.randomUUID(), "heartbeat.fired");
        push("heartbeat.fired");
        receiver.await(sentinel.path(), 1, WAIT);
        awaitQueueDrained();
    }

    private static Map<String, List<String>> signatureHeaders(Receiver.Request r) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            assertNotNull(r.header(name), name + " missing: " + r.headers());
            headers.put(name, List.of(r.header(name)));
        }
        return headers;
    }

    private static int intValue(Object o) {
        return ((Number) o).intValue();
    }

    // ---- signing ---------------------------------------------------------------------------

    @Test
    void deliveryVerifiesWithSvixLibraryAndATamperedBodyDoesNot() throws Exception {
        Hook hook = webhook("/signed", "agent_completed");
        String eventId = push("agent_completed");

        Receiver.Request got = receiver.await("/signed", 1, WAIT).get(0);
        assertEquals(eventId, got.header("webhook-id"));
        assertTrue(got.header("content-type").startsWith("application/json"), got.headers().toString());
        assertTrue(got.header("user-agent").startsWith("astra-webhooks/"), got.headers().toString());
        Map<String, Object> body = Json.parseObject(got.body());
        assertEquals(eventId, body.get("id"));
        assertEquals("agent_completed", body.get("event"));
        assertEquals(Map.of("agentId", "agent_7", "runId", "run_42", "status", "succeeded", "durationMs", 1834),
                body.get("data"));

        Webhook svix = new Webhook(hook.secret());
        svix.verify(got.body(), signatureHeaders(got)); // throws if the signature does not match
        String tampered = got.body().replace("succeeded", "failed!!!");
        assertTrue(!tampered.equals(got.body()));
        assertThrows(WebhookVerificationException.class, () -> svix.verify(tampered, signatureHeaders(got)));
        Webhook otherSecret = new Webhook("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        assertThrows(WebhookVerificationException.class, () -> otherSecret.verify(got.body(), signatureHeaders(got)));
    }

    // ---- retries ---------------------------------------------------------------------------

    @Test
    void failingReceiverGetsThreeAttemptsWithTheSameWebhookIdWhileAHealthyOneGetsOne() {
        receiver.script("/flaky", Answer.status(500), Answer.status(500));
        Hook flaky = webhook("/flaky", "agent_completed");
        Hook healthy = webhook("/healthy", "agent_completed");
        String eventId = push("agent_completed");

        List<Receiver.Request> attempts = receiver.await("/flaky", 3, WAIT);
        assertEquals(Set.of(eventId), attempts.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()));

        List<Map<String, Object>> history = awaitDeliveries(flaky, 3);
        assertEquals(List.of(1, 2, 3), history.stream().map(d -> intValue(d.get("attempt"))).toList());
        assertEquals(List.of("failed", "failed", "delivered"), history.stream().map(d -> d.get("outcome")).toList());
        assertEquals(List.of(500, 500, 200), history.stream().map(d -> intValue(d.get("statusCode"))).toList());
        assertNotNull(history.get(0).get("nextAttemptAt"), "a failed attempt says when the next one is due");
        assertNotNull(history.get(1).get("nextAttemptAt"));
        assertNull(history.get(2).get("nextAttemptAt"));
        history.forEach(d -> assertEquals(eventId, d.get("eventId")));

        awaitDispatcherMovedOn();
        assertEquals(3, receiver.requests("/flaky").size());
        assertEquals(1, receiver.requests("/healthy").size(), "the flaky receiver's retries are not resent to others");
        assertEquals(1, deliveries(healthy).size());
        assertEquals("delivered", deliveries(healthy).get(0).get("outcome"));
    }

    @Test
    void lastAttemptFailingStaysFailedWithNoNextAttemptWhileEarlierOnesCarryIt() {
        Answer[] always500 = IntStream.range(0, 12).mapToObj(i -> Answer.status(500)).toArray(Answer[]::new);
        receiver.script("/down", always500);
        Hook down = webhook("/down", "agent_completed");
        push("agent_completed");

        List<Map<String, Object>> history = awaitDeliveries(down, 8);
        assertEquals(IntStream.rangeClosed(1, 8).boxed().toList(),
                history.stream().map(d -> intValue(d.get("attempt"))).toList());
        history.forEach(d -> assertEquals("failed", d.get("outcome")));
        for (Map<String, Object> d : history.subList(0, 7)) {
            assertNotNull(d.get("nextAttemptAt"), "attempt " + d.get("attempt") + " is followed by another");
        }
        assertNull(history.get(7).get("nextAttemptAt"), "the 8th attempt is the last");

        awaitDispatcherMovedOn();
        assertEquals(8, receiver.requests("/down").size(), "no 9th attempt");
        assertEquals(8, deliveries(down).size());
    }

    @Test
    void retriesOfAWebhookDeletedOrDisabledMeanwhileAreDropped() {
        receiver.script("/deleted", Answer.status(500), Answer.status(500));
        receiver.script("/disabled", Answer.status(500), Answer.status(500));
        Hook deleted = webhook("/deleted", "agent_completed");
        Hook disabled = webhook("/disabled", "agent_completed");
        push("agent_completed");

        // attempt 1 failed and is recorded with its retry due in about a second
        assertNotNull(awaitDeliveries(deleted, 1).get(0).get("nextAttemptAt"));
        assertNotNull(awaitDeliveries(disabled, 1).get(0).get("nextAttemptAt"));
        assertEquals(204, http.delete("/webhooks/" + deleted.id(), token).status());
        Http.Response put = http.put("/webhooks/" + disabled.id(), token, "{\"enabled\":false}");
        assertEquals(200, put.status(), put.body());

        awaitDispatcherMovedOn();
        assertEquals(1, receiver.requests("/deleted").size(), "no retry after DELETE");
        assertEquals(1, receiver.requests("/disabled").size(), "no retry after enabled=false");
        assertEquals(1, deliveries(disabled).size());
    }

    @Test
    void aDroppedRetryNoLongerShowsANextAttemptAndSaysWhy() {
        receiver.script("/dropped", Answer.status(500), Answer.status(500));
        Hook dropped = webhook("/dropped", "agent_completed");
        push("agent_completed");

        assertNotNull(awaitDeliveries(dropped, 1).get(0).get("nextAttemptAt"));
        Http.Response put = http.put("/webhooks/" + dropped.id(), token, "{\"enabled\":false}");
        assertEquals(200, put.status(), put.body());

        Eventually.await(WAIT, "the dropped retry to be noted on the attempt that scheduled it",
                () -> deliveries(dropped).get(0).get("nextAttemptAt") == null);
        Map<String, Object> d = deliveries(dropped).get(0);
        assertEquals("retry dropped: webhook disabled", d.get("error"));
        assertEquals(500, intValue(d.get("statusCode")));
        assertEquals(1, receiver.requests("/dropped").size());
    }

    @Test
    void goneDisablesTheWebhookAndIsNotRetried() {
        receiver.script("/gone", Answer.status(410));
        Hook gone = webhook("/gone", "agent_completed");
        push("agent_completed");

        Map<String, Object> d = awaitDeliveries(gone, 1).get(0);
        assertEquals("failed", d.get("outcome"));
        assertEquals(410, intValue(d.get("statusCode")));
        assertNull(d.get("nextAttemptAt"), "a 410 is not retried");
        Eventually.await(WAIT, "the webhook to be disabled",
                () -> Boolean.FALSE.equals(json(http.get("/webhooks/" + gone.id(), token)).get("enabled")));

        String later = push("agent_completed"); // a later event is not sent to the disabled webhook either
        awaitDispatcherMovedOn();
        assertEquals(1, receiver.requests("/gone").size());
        // ... but it is recorded as missed, for a recover once the webhook is enabled again
        Map<String, Object> missed = awaitDeliveries(gone, 2).get(1);
        assertEquals(later, missed.get("eventId"));
        assertEquals("not sent: webhook disabled", missed.get("error"));
        assertNull(missed.get("statusCode"));
        assertEquals(2, deliveries(gone).size());
    }

    // ---- who receives what -----------------------------------------------------------------

    @Test
    void aWebhookForAnotherEventTypeAndADisabledWebhookReceiveNothingAndTheDisabledOneRecordsWhatItMissed() {
        Hook other = webhook("/other", "tool.executed");
        Hook off = webhook("/off", false, "agent_completed");
        Hook wildcard = webhook("/all", "*");
        Hook on = webhook("/on", "agent_completed");
        String eventId = push("agent_completed");

        // one event's webhooks are chosen together: once /on and /all have it, the others were passed over
        assertEquals(eventId, receiver.await("/on", 1, WAIT).get(0).header("webhook-id"));
        assertEquals(eventId, receiver.await("/all", 1, WAIT).get(0).header("webhook-id"));
        awaitDeliveries(on, 1);
        awaitDeliveries(wildcard, 1);
        awaitQueueDrained();
        assertEquals(0, receiver.requests("/other").size());
        assertEquals(0, receiver.requests("/off").size());
        assertEquals(List.of(), deliveries(other));
        // the disabled webhook's record of what it missed, so that a recover can send it later
        List<Map<String, Object>> missed = deliveries(off);
        assertEquals(1, missed.size(), missed.toString());
        assertEquals(eventId, missed.get(0).get("eventId"));
        assertEquals("failed", missed.get(0).get("outcome"));
        assertEquals("not sent: webhook disabled", missed.get(0).get("error"));
        assertNull(missed.get(0).get("nextAttemptAt"));
    }

    // ---- idempotency and poison ------------------------------------------------------------

    @Test
    void theSameEventIdPushedThreeTimesIsDeliveredOnce() {
        Hook hook = webhook("/once", "agent_completed");
        String id = newEventId();
        String body = event("agent_completed", id);

        pushRaw(body);
        receiver.await("/once", 1, WAIT);
        // two more copies: one alone (a later batch), one next to a sentinel event in a batch
        pushRaw(body);
        pushBatch(List.of(body, event("agent_completed", newEventId())));

        awaitDeliveries(hook, 2); // the first copy and the other event
        awaitDispatcherMovedOn();
        List<String> ids = receiver.requests("/once").stream().map(r -> r.header("webhook-id")).toList();
        assertEquals(1, ids.stream().filter(id::equals).count(), ids.toString());
        assertEquals(2, ids.size(), ids.toString());
        assertEquals(1, deliveries(hook).stream().filter(d -> id.equals(d.get("eventId"))).count());
    }

    @Test
    void aMalformedMessageGoesToTheDlqWithItsReasonWhileTheRestOfItsBatchIsDelivered() {
        webhook("/batch", "agent_completed");
        String marker = UUID.randomUUID().toString();
        String notJson = "{not json " + marker;
        String noTenant = "{\"event\":\"agent_completed\",\"data\":{\"marker\":\"" + marker + "\"}}";
        List<String> good = List.of(newEventId(), newEventId(), newEventId());
        List<String> batch = new ArrayList<>();
        batch.add(event("agent_completed", good.get(0)));
        batch.add(notJson);
        batch.add(event("agent_completed", good.get(1)));
        batch.add(noTenant);
        batch.add(event("agent_completed", good.get(2)));
        pushBatch(batch);

        List<Receiver.Request> delivered = receiver.await("/batch", 3, WAIT);
        assertEquals(Set.copyOf(good), delivered.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()));

        Map<String, String> reasons = new LinkedHashMap<>();
        Eventually.await(WAIT, "both poison messages on the DLQ", () -> {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(AstraLocalExtension.dlqUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages();
            for (Message m : messages) {
                if (m.body().contains(marker)) {
                    reasons.put(m.body(), m.messageAttributes().get("reason").stringValue());
                    sqs.deleteMessage(b -> b.queueUrl(AstraLocalExtension.dlqUrl()).receiptHandle(m.receiptHandle()));
                }
            }
            return reasons.size() == 2;
        });
        assertEquals(Set.of(notJson, noTenant), reasons.keySet(), "the DLQ keeps the message as sent");
        assertTrue(reasons.get(notJson).contains("not a JSON object"), reasons.toString());
        assertTrue(reasons.get(noTenant).contains("tenant"), reasons.toString());
        awaitQueueDrained(); // not retried forever
    }

    // ---- concurrency and failures ----------------------------------------------------------

    @Test
    void aBatchOfTenEventsToOneReceiverIsSentConcurrently() {
        Answer[] slow = IntStream.range(0, 10).mapToObj(i -> Answer.slow(200, Duration.ofMillis(1000)))
                .toArray(Answer[]::new);
        receiver.script("/busy", slow);
        webhook("/busy", "agent_completed");
        List<String> ids = IntStream.range(0, 10).mapToObj(i -> newEventId()).toList();
        pushBatch(ids.stream().map(id -> event("agent_completed", id)).toList());

        List<Receiver.Request> got = receiver.await("/busy", 10, WAIT);
        assertEquals(Set.copyOf(ids), got.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()));
        assertTrue(receiver.maxInFlight() >= 5,
                "at least 5 of the 10 in flight at once, saw " + receiver.maxInFlight());
    }

    @Test
    void timeoutRefusedConnectionAndHugeResponseAreRecordedAndTheDispatcherCarriesOn() throws IOException {
        receiver.script("/slow", Answer.slow(200, Duration.ofMillis(3500))); // DELIVERY_TIMEOUT_MS is 2000
        receiver.script("/huge", new Answer(200, Duration.ZERO, "x".repeat(10 * 1024 * 1024)));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Hook slow = webhook("/slow", "agent_completed");
        Hook huge = webhook("/huge", "agent_completed");
        Http.Response r = http.post("/webhooks", token, Json.write(Map.of(
                "url", "http://127.0.0.1:" + closedPort + "/refused", "events", List.of("agent_completed"))));
        assertEquals(201, r.status(), r.body());
        Hook refused = new Hook((String) json(r).get("id"), null, "/refused");
        push("agent_completed");

        Map<String, Object> timedOut = awaitDeliveries(slow, 1).get(0);
        assertEquals("failed", timedOut.get("outcome"));
        assertEquals("timeout after 2000 ms", timedOut.get("error"));
        assertNotNull(timedOut.get("nextAttemptAt"));

        Map<String, Object> noConnection = awaitDeliveries(refused, 1).get(0);
        assertEquals("failed", noConnection.get("outcome"));
        assertEquals("connection refused", noConnection.get("error"));
        assertNull(noConnection.get("statusCode"));

        Map<String, Object> big = awaitDeliveries(huge, 1).get(0);
        assertEquals("delivered", big.get("outcome"));
        assertEquals(200, intValue(big.get("statusCode")));
        String kept = (String) big.get("responseBody");
        assertTrue(kept.length() > 0 && kept.length() <= 4096 + 64, "kept " + kept.length() + " chars");
        assertTrue(kept.startsWith("xxxx"), kept.substring(0, Math.min(20, kept.length())));

        // stop the retries, then show the dispatcher still delivers
        assertEquals(204, http.delete("/webhooks/" + slow.id(), token).status());
        assertEquals(204, http.delete("/webhooks/" + refused.id(), token).status());
        Hook after = webhook("/after", "tool.executed");
        String later = push("tool.executed");
        assertEquals(later, receiver.await("/after", 1, WAIT).get(0).header("webhook-id"));
        assertEquals("delivered", awaitDeliveries(after, 1).get(0).get("outcome"));
        awaitQueueDrained();
    }

    // ---- history and test sends ------------------------------------------------------------

    @Test
    void deliveriesArePagedNewestFirst() {
        Hook hook = webhook("/paged", "agent_completed");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(push("agent_completed"));
            awaitDeliveries(hook, i + 1); // one at a time, so their order is known
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response r = http.get("/webhooks/" + hook.id() + "/deliveries?limit=2"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)), token);
            assertEquals(200, r.status(), r.body());
            data(r).forEach(d -> seen.add((String) d.get("eventId")));
            pageSizes.add(data(r).size());
            cursor = (String) json(r).get("nextCursor");
        } while (cursor != null && pageSizes.size() < 10);

        assertEquals(List.of(2, 2, 1), pageSizes);
        List<String> newestFirst = new ArrayList<>(sent);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }

    @Test
    void testSendReturnsTheDispatchSynchronouslyAndTheReceiverGotItSigned() throws Exception {
        Hook hook = webhook("/test", "agent_completed"); // not subscribed to webhook.test: a test send goes anyway

        Http.Response r = http.send("POST", "/webhooks/" + hook.id() + "/test", token, null);
        assertEquals(200, r.status(), r.body());
        Map<String, Object> d = json(r);
        assertEquals("delivered", d.get("outcome"));
        assertEquals(200, intValue(d.get("statusCode")));
        assertEquals(1, intValue(d.get("attempt")));
        assertEquals(hook.id(), d.get("webhookId"));
        assertEquals("webhook.test", d.get("eventType"));
        Map<String, Object> payload = Json.parseObject((String) d.get("payload"));
        assertEquals("webhook.test", payload.get("event"));

        // synchronous: the receiver already has it, no waiting
        List<Receiver.Request> got = receiver.requests("/test");
        assertEquals(1, got.size());
        assertEquals(d.get("payload"), got.get(0).body());
        assertEquals(d.get("eventId"), got.get(0).header("webhook-id"));
        new Webhook(hook.secret()).verify(got.get(0).body(), signatureHeaders(got.get(0)));
        assertEquals(d.get("id"), deliveries(hook).get(0).get("id"), "recorded in the history too");
    }
}
