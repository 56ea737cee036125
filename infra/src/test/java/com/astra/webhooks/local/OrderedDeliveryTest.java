package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.client.AgentEvent;
import com.astra.webhooks.client.AstraEvents;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.local.Receiver.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ordered delivery per key through the runner: events published with an ordering key onto the
 * FIFO events queue, the real dispatcher's two FIFO stages polled with Lambda's FIFO semantics,
 * and real receivers on loopback that fail chosen events.
 */
@ExtendWith(AstraLocalExtension.class)
class OrderedDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();
    private final AstraEvents events = AstraEvents.builder()
            .queueUrl(AstraLocalExtension.eventsQueueUrl())
            .orderedQueueUrl(AstraLocalExtension.runner().queueUrl("EventsFifoQueue", false))
            .sqsClient(AstraLocalExtension.sqs())
            .build();

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    private String webhook(String path, String retrySchedule) {
        String body = retrySchedule == null
                ? Json.write(Map.of("url", receiver.url(path), "events", "*"))
                : Json.write(Map.of("url", receiver.url(path), "events", "*", "retrySchedule", retrySchedule));
        Http.Response r = tenant.http.post("/webhooks", tenant.token, body);
        assertEquals(201, r.status(), r.body());
        return (String) json(r).get("id");
    }

    private List<String> publish(String key, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(events.publishOrdered(key, AgentEvent.of(tenant.tenant, "tool.executed", Map.of("key", key, "n", i))));
        }
        return ids;
    }

    /** Fails the first {@code times} attempts of each listed event at {@code path}; counts the answers. */
    private Map<String, AtomicInteger> failing(String path, Map<String, Integer> times) {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        receiver.rule(path, r -> {
            int n = seen.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet();
            return n <= times.getOrDefault(r.header("webhook-id"), 0) ? Answer.status(500) : Answer.status(200);
        });
        return seen;
    }

    private static List<String> ids(List<Receiver.Request> requests, String key) {
        return requests.stream().filter(r -> key.equals(r.header("webhook-ordering-key")))
                .map(r -> r.header("webhook-id")).toList();
    }

    private static List<Long> sequences(List<Receiver.Request> requests, String key) {
        return requests.stream().filter(r -> key.equals(r.header("webhook-ordering-key")))
                .map(r -> Long.valueOf(r.header("webhook-sequence"))).toList();
    }

    @Test
    void aKeyWaitsForItsOwnRetriesAtOneWebhookOnly() {
        String a = webhook("/a", "3s,3s,3s");
        webhook("/b", null);
        List<String> k1 = new ArrayList<>();
        String first = "evt_k1_" + tenant.tenant.substring(2, 14);
        failing("/a", Map.of(first, 2));
        k1.add(events.publishOrdered("k1", AgentEvent.of(tenant.tenant, "tool.executed", Map.of("n", 1)).withId(first)));
        for (int i = 2; i <= 5; i++) {
            k1.add(events.publishOrdered("k1", AgentEvent.of(tenant.tenant, "tool.executed", Map.of("n", i))));
        }
        receiver.await("/a", 1, WAIT);
        // k2 at the same webhook, published while k1 waits for its retry
        String k2 = publish("k2", 1).get(0);

        List<Receiver.Request> atA = receiver.await("/a", 2 + 5 + 1, WAIT);
        List<Receiver.Request> atB = receiver.await("/b", 6, WAIT);

        // A: event 1 three times (two failures), then 2..5, each once; the same number on every retry
        assertEquals(List.of(k1.get(0), k1.get(0), k1.get(0), k1.get(1), k1.get(2), k1.get(3), k1.get(4)), ids(atA, "k1"));
        assertEquals(List.of(1L, 1L, 1L, 2L, 3L, 4L, 5L), sequences(atA, "k1"));
        // B, healthy, got all five in order without waiting for A's retries
        assertEquals(k1, ids(atB, "k1"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequences(atB, "k1"));
        var thirdAttempt = atA.stream().filter(r -> k1.get(0).equals(r.header("webhook-id"))).toList().get(2).at();
        var lastAtB = atB.stream().filter(r -> k1.get(4).equals(r.header("webhook-id"))).findFirst().orElseThrow().at();
        assertTrue(lastAtB.isBefore(thirdAttempt), "B's fifth event " + lastAtB + " came before A's retry " + thirdAttempt);
        // k2 at A did not wait for k1
        var k2AtA = atA.stream().filter(r -> k2.equals(r.header("webhook-id"))).findFirst().orElseThrow();
        assertEquals("1", k2AtA.header("webhook-sequence"));
        assertTrue(k2AtA.at().isBefore(thirdAttempt), "k2 " + k2AtA.at() + " before k1's retry " + thirdAttempt);

        // the records show the key and the number
        Http.Response r = tenant.get("/webhooks/" + a + "/deliveries?limit=50");
        assertEquals(200, r.status(), r.body());
        List<Map<String, Object>> records = data(r);
        assertEquals(8, records.size());
        assertTrue(records.stream().allMatch(d -> d.get("orderingKey") != null && d.get("sequence") != null), records.toString());
        assertEquals(Set.of("k1", "k2"), Set.copyOf(records.stream().map(d -> d.get("orderingKey")).toList()));

        // the inspector lists one key's dispatches, across webhooks or at one, page by page
        Eventually.await(WAIT, "k1's 12 dispatches (7 at A, 5 at B) in the inspector",
                () -> tenant.all("/webhook-inspector?orderingKey=k1", 5).size() == 12);
        List<Map<String, Object>> k1AtA = tenant.all("/webhook-inspector?orderingKey=k1&webhookId=" + a, 2);
        assertEquals(List.of(1L, 1L, 1L, 2L, 3L, 4L, 5L),
                k1AtA.stream().map(d -> ((Number) d.get("sequence")).longValue()).sorted().toList(), k1AtA.toString());
        assertTrue(k1AtA.stream().allMatch(d -> "k1".equals(d.get("orderingKey")) && a.equals(d.get("webhookId"))));
        assertEquals(List.of(k2, k2), tenant.all("/webhook-inspector?orderingKey=k2", 50).stream()
                .map(d -> d.get("eventId")).toList());
        assertEquals(2, tenant.all("/webhook-inspector?orderingKey=k1&webhookId=" + a + "&outcome=failed", 50).size());
        Http.Response invalid = tenant.get("/webhook-inspector?orderingKey=" + "k".repeat(129));
        assertEquals(400, invalid.status(), invalid.body());
        assertEquals("validation_error", ((Map<?, ?>) json(invalid).get("error")).get("code"), invalid.body());
    }

    @Test
    void anEventThatFailsForGoodReleasesTheNext() {
        String c = webhook("/c", "1s");
        List<String> k = new ArrayList<>();
        String bad = "evt_bad_" + tenant.tenant.substring(2, 14);
        failing("/c", Map.of(bad, 99));
        k.add(events.publishOrdered("run-7", AgentEvent.of(tenant.tenant, "agent.failed", Map.of("n", 1)).withId(bad)));
        k.addAll(publish("run-7", 2));

        List<Receiver.Request> got = receiver.await("/c", 4, WAIT);
        assertEquals(List.of(k.get(0), k.get(0), k.get(1), k.get(2)), ids(got, "run-7"));
        assertEquals(List.of(1L, 1L, 2L, 3L), sequences(got, "run-7"));
        Http.Response r = tenant.get("/webhooks/" + c + "/deliveries?limit=50");
        List<Map<String, Object>> failed = data(r).stream().filter(d -> k.get(0).equals(d.get("eventId"))).toList();
        assertEquals(2, failed.size());
        assertTrue(failed.stream().anyMatch(d -> "failed".equals(d.get("outcome")) && d.get("nextAttemptAt") == null),
                "the event failed for good: " + failed);
    }

    /**
     * Resend and recover are manual repairs: not ordered, but they repeat the original key and
     * number, so that a receiver that tracks the sequence recognises what it missed.
     */
    @Test
    void resendAndRecoverRepeatTheOriginalKeyAndNumber() {
        String e = webhook("/e", "1s");
        String first = "evt_rep1_" + tenant.tenant.substring(2, 14);
        String second = "evt_rep2_" + tenant.tenant.substring(2, 14);
        // both fail for good (two attempts each); first also fails the recover's first attempt
        failing("/e", Map.of(first, 3, second, 2));
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        events.publishOrdered("repair", AgentEvent.of(tenant.tenant, "tool.executed", Map.of("n", 1)).withId(first));
        events.publishOrdered("repair", AgentEvent.of(tenant.tenant, "tool.executed", Map.of("n", 2)).withId(second));
        publish("repair", 1);
        assertEquals(List.of(1L, 1L, 2L, 2L, 3L), sequences(receiver.await("/e", 5, WAIT), "repair"));
        Eventually.await(WAIT, "both final failures recorded", () -> data(tenant.get("/webhooks/" + e + "/deliveries?limit=50"))
                .stream().filter(d -> "failed".equals(d.get("outcome")) && d.get("nextAttemptAt") == null).count() == 2);
        Map<String, Object> finalOfSecond = data(tenant.get("/webhooks/" + e + "/deliveries?limit=50")).stream()
                .filter(d -> second.equals(d.get("eventId")) && d.get("nextAttemptAt") == null).findFirst().orElseThrow();

        Http.Response resent = tenant.post("/webhook-inspector/" + finalOfSecond.get("id") + "/resend");
        assertEquals(200, resent.status(), resent.body());
        assertEquals("resend", json(resent).get("trigger"));
        assertEquals("repair", json(resent).get("orderingKey"));
        assertEquals(2, ((Number) json(resent).get("sequence")).intValue());
        Receiver.Request resend = receiver.await("/e", 6, WAIT).get(5);
        assertEquals(second, resend.header("webhook-id"));
        assertEquals("repair", resend.header("webhook-ordering-key"));
        assertEquals("2", resend.header("webhook-sequence"));

        // recover sends only the first (the resend repaired the second), and so does its retry
        Http.Response recovered = tenant.http.post("/webhooks/" + e + "/recover", tenant.token, "{\"since\": \"" + before + "\"}");
        assertEquals(202, recovered.status(), recovered.body());
        assertEquals(1, ((Number) json(recovered).get("queued")).intValue());
        List<Receiver.Request> repairs = receiver.await("/e", 8, WAIT).subList(6, 8);
        for (Receiver.Request r : repairs) {
            assertEquals(first, r.header("webhook-id"));
            assertEquals("repair", r.header("webhook-ordering-key"), "recover attempt " + r.headers());
            assertEquals("1", r.header("webhook-sequence"), "recover attempt " + r.headers());
        }
        Eventually.await(WAIT, "the recover chain's two attempts recorded with the key and number",
                () -> data(tenant.get("/webhooks/" + e + "/deliveries?limit=50")).stream()
                        .filter(d -> "recover".equals(d.get("trigger")) && "repair".equals(d.get("orderingKey"))
                                && d.get("sequence") instanceof Number n && n.longValue() == 1)
                        .map(d -> d.get("outcome")).toList().containsAll(List.of("failed", "delivered")));
    }

    /**
     * Test mode intercepts an ordered event only when its turn comes, as a send would: the
     * entries take the numbers in publishing order and were written in that order.
     */
    @Test
    void testModeInterceptsAKeysEventsInOrder() {
        webhook("/t", null);
        assertEquals(200, tenant.post("/webhooks/test-mode/enable").status());
        List<String> published = publish("tm", 8);
        Eventually.await(WAIT, "eight interceptions", () -> tenant.all("/webhooks/test-mode/log", 50).size() == 8);
        List<Map<String, Object>> entries = new ArrayList<>(tenant.all("/webhooks/test-mode/log", 50));
        entries.sort(java.util.Comparator.comparingLong(d -> ((Number) d.get("sequence")).longValue()));
        for (int n = 1; n <= 8; n++) {
            Map<String, Object> entry = entries.get(n - 1);
            assertEquals("intercepted", entry.get("outcome"), entry.toString());
            assertEquals("tm", entry.get("orderingKey"), entry.toString());
            assertEquals(n, ((Number) entry.get("sequence")).intValue(), entries.toString());
            assertEquals(published.get(n - 1), entry.get("eventId"), "number " + n + " is the " + n + "th event published");
            @SuppressWarnings("unchecked")
            Map<String, Object> headers = (Map<String, Object>) entry.get("requestHeaders");
            assertEquals(String.valueOf(n), String.valueOf(headers.get("webhook-sequence")), entry.toString());
            if (n > 1) {
                String previous = (String) entries.get(n - 2).get("createdAt");
                assertTrue(previous.compareTo((String) entry.get("createdAt")) <= 0,
                        "number " + n + " was intercepted before number " + (n - 1) + ": " + entries);
            }
        }
        assertEquals(List.of(), receiver.requests("/t"), "nothing was sent");
    }

    @Test
    void theSameEventsPublishedTwiceArriveOnce() {
        webhook("/d", null);
        List<String> first = publish("dup", 3);
        // the same events again: once as the client would (same deduplication id), once under
        // another deduplication id, as a publisher that lost the first answer might
        for (int i = 0; i < 3; i++) {
            String id = first.get(i);
            events.publishOrdered("dup", new AgentEvent(tenant.tenant, "tool.executed", Map.of("key", "dup", "n", i + 1), id, null));
        }
        receiver.await("/d", 3, WAIT);
        for (int i = 0; i < 3; i++) {
            String id = first.get(i);
            String body = Json.write(Map.of("event", "tool.executed", "tenant", tenant.tenant, "id", id,
                    "data", Map.of("again", true), "orderingKey", "dup"));
            AstraLocalExtension.sqs().sendMessage(b -> b.queueUrl(AstraLocalExtension.runner().queueUrl("EventsFifoQueue", false))
                    .messageBody(body).messageGroupId("dup").messageDeduplicationId(id + "-again"));
        }
        String marker = publish("dup", 1).get(0); // after the repeats, in the same key
        List<Receiver.Request> got = receiver.await("/d", 4, WAIT);
        List<String> expected = new ArrayList<>(first);
        expected.add(marker);
        assertEquals(expected, ids(got, "dup"));
        assertEquals(List.of(1L, 2L, 3L, 4L), sequences(got, "dup"));
    }
}
