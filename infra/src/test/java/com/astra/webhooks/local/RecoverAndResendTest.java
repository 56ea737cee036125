package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.svix.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Resend and recover through the runner, receivers verifying with Svix's library. The retry
 * schedule is 1 s × 7 here, so "down for a whole retry schedule" takes about 8 s.
 */
@ExtendWith(AstraLocalExtension.class)
class RecoverAndResendTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 8;

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void resendOfADeliveredDispatchSendsItAgainWithTriggerResendAndAnotherTenantsIsNotFound() throws Exception {
        Map<String, Object> created = tenant.createWebhook(receiver.url("/again"), "[\"agent_completed\"]");
        String webhookId = (String) created.get("id");
        String eventId = tenant.push("agent_completed", Map.of("n", 1));
        Receiver.Request first = receiver.await("/again", 1, WAIT).get(0);
        Eventually.await(WAIT, "the delivery recorded", () -> history(webhookId).size() == 1);
        Map<String, Object> delivered = history(webhookId).get(0);
        assertEquals("delivered", delivered.get("outcome"));
        assertEquals("event", delivered.get("trigger"));

        TenantClient other = new TenantClient();
        assertError(other.post("/webhook-inspector/" + delivered.get("id") + "/resend"), 404, "not_found");
        assertEquals(1, receiver.requests("/again").size(), "another tenant's resend sent nothing");

        Http.Response r = tenant.post("/webhook-inspector/" + delivered.get("id") + "/resend");
        assertEquals(200, r.status(), r.body());
        Map<String, Object> resent = json(r);
        assertEquals("resend", resent.get("trigger"));
        assertEquals("delivered", resent.get("outcome"));
        assertNotEquals(delivered.get("id"), resent.get("id"));
        Receiver.Request again = receiver.requests("/again").get(1);
        assertEquals(eventId, again.header("webhook-id"));
        assertEquals(first.body(), again.body(), "the same event");
        new Webhook((String) created.get("secret")).verify(again.body(), again.signatureHeaders());
        assertEquals(List.of("resend", "event"), history(webhookId).stream().map(d -> d.get("trigger")).toList(),
                "recorded as a new dispatch, newest first");

        assertEquals(200, tenant.http.put("/webhooks/" + webhookId, tenant.token, "{\"enabled\": false}").status());
        assertError(tenant.post("/webhook-inspector/" + delivered.get("id") + "/resend"), 409, "webhook_disabled");
        assertEquals(204, tenant.delete("/webhooks/" + webhookId).status());
        assertError(tenant.post("/webhook-inspector/" + delivered.get("id") + "/resend"), 404, "not_found");
        assertEquals(2, receiver.requests("/again").size());
    }

    @Test
    void recoverAfterAnOutageDeliversEveryFailedEventExactlyOnceEvenWhenCalledTwiceAtOnce() {
        int events = 5;
        Receiver.Answer[] outage = new Receiver.Answer[events * ATTEMPTS];
        java.util.Arrays.fill(outage, Receiver.Answer.status(500));
        receiver.script("/outage", outage);
        Map<String, Object> created = tenant.createWebhook(receiver.url("/outage"), "[\"agent_completed\"]");
        String webhookId = (String) created.get("id");
        Instant before = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            ids.add(tenant.push("agent_completed", Map.of("n", i)));
        }
        awaitFinalFailures(webhookId, events);
        assertEquals(events * ATTEMPTS, receiver.requests("/outage").size(), "down for the whole schedule");

        // The receiver is healthy again (its script of 500s is used up). One event is resent by
        // hand first: recover must skip it. Then two recovers race.
        Map<String, Object> finalOfFirst = history(webhookId).stream()
                .filter(d -> ids.get(0).equals(d.get("eventId")) && d.get("nextAttemptAt") == null).findFirst().orElseThrow();
        assertEquals(200, tenant.post("/webhook-inspector/" + finalOfFirst.get("id") + "/resend").status());
        String body = "{\"since\": \"" + before + "\"}";
        CompletableFuture<Http.Response> a = CompletableFuture.supplyAsync(() -> tenant.http.post("/webhooks/" + webhookId + "/recover", tenant.token, body));
        CompletableFuture<Http.Response> b = CompletableFuture.supplyAsync(() -> tenant.http.post("/webhooks/" + webhookId + "/recover", tenant.token, body));
        int queued = 0;
        for (Http.Response r : List.of(a.join(), b.join())) {
            assertEquals(202, r.status(), r.body());
            queued += ((Number) json(r).get("queued")).intValue();
        }
        assertEquals(events - 1, queued, "each failed event not resent is queued by exactly one of the two calls");

        receiver.await("/outage", events * ATTEMPTS + events, WAIT);
        awaitQueueDrained();
        Map<String, Long> byWebhookId = receiver.requests("/outage").stream().skip(events * ATTEMPTS)
                .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertEquals(ids.stream().collect(Collectors.toMap(Function.identity(), id -> 1L)), byWebhookId,
                "every failed event once, nothing twice");
        for (Receiver.Request r : receiver.requests("/outage").subList(events * ATTEMPTS, events * ATTEMPTS + events)) {
            assertVerifies((String) created.get("secret"), r);
        }
        List<Map<String, Object>> recovered = history(webhookId).stream().filter(d -> "recover".equals(d.get("trigger"))).toList();
        assertEquals(events - 1, recovered.size());
        assertTrue(recovered.stream().allMatch(d -> "delivered".equals(d.get("outcome"))));

        // A third recover finds nothing left to send: delivered events are not sent again.
        Http.Response third = tenant.http.post("/webhooks/" + webhookId + "/recover", tenant.token, body);
        assertEquals(202, third.status(), third.body());
        assertEquals(0, ((Number) json(third).get("queued")).intValue());
    }

    @Test
    void aThousandFailedEventsRecoverCompletelyThroughBackgroundPages() {
        int events = 1000;
        receiver.script("/many", Collections.nCopies(events * ATTEMPTS, Receiver.Answer.status(500)).toArray(Receiver.Answer[]::new));
        String webhookId = (String) tenant.createWebhook(receiver.url("/many"), "[\"agent_completed\"]").get("id");
        Instant before = Instant.now().minusSeconds(1);
        Set<String> ids = Set.copyOf(tenant.pushMany("agent_completed", events));
        Eventually.await(Duration.ofMinutes(5), "every attempt of every event failed",
                () -> receiver.requests("/many").size() >= events * ATTEMPTS);
        awaitQueueDrained();

        Http.Response r = tenant.http.post("/webhooks/" + webhookId + "/recover", tenant.token,
                "{\"since\": \"" + before + "\", \"until\": \"" + Instant.now() + "\"}");
        assertEquals(202, r.status(), r.body());
        int firstPage = ((Number) json(r).get("queued")).intValue();
        assertTrue(firstPage > 0 && firstPage < events, "the answer counts the first page only, got " + firstPage);

        Eventually.await(Duration.ofMinutes(3), "every failed event delivered again",
                () -> receiver.requests("/many").size() >= events * ATTEMPTS + events);
        awaitQueueDrained();
        List<Receiver.Request> again = receiver.requests("/many").subList(events * ATTEMPTS, receiver.requests("/many").size());
        Map<String, Integer> count = new HashMap<>();
        again.forEach(q -> count.merge(q.header("webhook-id"), 1, Integer::sum));
        assertEquals(ids, count.keySet(), "all of them");
        assertTrue(count.values().stream().allMatch(c -> c == 1), "none twice");
    }

    @Test
    void eventsThatArriveWhileAWebhookIsDisabledAreRecoveredOnceItIsEnabledAgain() {
        Map<String, Object> created = tenant.createWebhook(receiver.url("/paused"), "[\"agent_completed\"]");
        String webhookId = (String) created.get("id");
        Instant before = Instant.now().minusSeconds(1);
        assertEquals(200, tenant.http.put("/webhooks/" + webhookId, tenant.token, "{\"enabled\": false}").status());
        List<String> ids = List.of(tenant.push("agent_completed", Map.of("n", 1)), tenant.push("agent_completed", Map.of("n", 2)));

        Eventually.await(WAIT, "both events recorded as not sent", () -> history(webhookId).size() == 2);
        for (Map<String, Object> d : history(webhookId)) {
            assertEquals("failed", d.get("outcome"));
            assertEquals("not sent: webhook disabled", d.get("error"));
            assertEquals(null, d.get("nextAttemptAt"));
        }
        assertEquals(0, receiver.requests("/paused").size(), "nothing sent while disabled");
        String body = "{\"since\": \"" + before + "\"}";
        assertError(tenant.http.post("/webhooks/" + webhookId + "/recover", tenant.token, body), 409, "webhook_disabled");

        assertEquals(200, tenant.http.put("/webhooks/" + webhookId, tenant.token, "{\"enabled\": true}").status());
        Http.Response r = tenant.http.post("/webhooks/" + webhookId + "/recover", tenant.token, body);
        assertEquals(202, r.status(), r.body());
        assertEquals(2, ((Number) json(r).get("queued")).intValue());
        receiver.await("/paused", 2, WAIT);
        awaitQueueDrained();
        assertEquals(Set.copyOf(ids), receiver.requests("/paused").stream().map(q -> q.header("webhook-id"))
                .collect(Collectors.toSet()));
        assertEquals(2, receiver.requests("/paused").size(), "each once");
        receiver.requests("/paused").forEach(q -> assertVerifies((String) created.get("secret"), q));
    }

    private void awaitFinalFailures(String webhookId, int events) {
        Eventually.await(WAIT, events + " events failed for good", () -> {
            List<Map<String, Object>> failed = history(webhookId);
            return failed.size() == events * ATTEMPTS
                    && failed.stream().filter(d -> d.get("nextAttemptAt") == null).count() == events;
        });
    }

    private static void awaitQueueDrained() {
        Eventually.await(Duration.ofMinutes(2), "the events queue drained", () -> {
            Map<QueueAttributeName, String> a = AstraLocalExtension.sqs().getQueueAttributes(b -> b
                    .queueUrl(AstraLocalExtension.eventsQueueUrl()).attributeNames(QueueAttributeName.ALL)).attributes();
            return "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
        });
    }

    private List<Map<String, Object>> history(String webhookId) {
        return tenant.all("/webhooks/" + webhookId + "/deliveries", 100);
    }

    private static void assertVerifies(String secret, Receiver.Request r) {
        try {
            new Webhook(secret).verify(r.body(), r.signatureHeaders());
        } catch (Exception e) {
            throw new AssertionError("the delivery does not verify: " + e, e);
        }
    }
}
