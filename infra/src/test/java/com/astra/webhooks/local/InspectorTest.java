package com.astra.webhooks.local;

import static com.astra.webhooks.local.TenantClient.enc;
import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dispatch inspector through the runner, over dispatches the real dispatcher made. Test mode
 * makes hundreds of dispatches fast (an interception is a dispatch too) without hundreds of HTTP calls.
 */
@ExtendWith(AstraLocalExtension.class)
class InspectorTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String A = "agent_completed";
    private static final String B = "tool.executed";

    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void twoHundredTenDispatchesPageByFiftyEachOnceNewestFirstAndStayWithTheirTenant() {
        TenantClient t = new TenantClient();
        List<String> hooks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hooks.add((String) t.createWebhook(receiver.url("/h" + i), "\"*\"").get("id"));
        }
        assertEquals(200, t.post("/webhooks/test-mode/enable").status());
        t.pushMany(A, 40); // 120 dispatches of type A
        t.pushMany(B, 30); // 90 of type B
        awaitCount(t, 210);

        List<Map<String, Object>> all = t.all("/webhook-inspector", 50); // asserts 50,50,50,50 then the rest
        assertEquals(210, all.size());
        assertEachOnceNewestFirst(all);

        Http.Response capped = t.get("/webhook-inspector?limit=500");
        assertEquals(200, capped.status(), capped.body());
        assertEquals(200, data(capped).size(), "limit above 200 is treated as 200");
        assertNotNull(json(capped).get("nextCursor"));
        assertEquals(50, data(t.get("/webhook-inspector")).size(), "limit defaults to 50");

        assertError(t.get("/webhook-inspector?limit=0"), 400, "validation_error");
        assertError(t.get("/webhook-inspector?limit=abc"), 400, "validation_error");
        assertError(t.get("/webhook-inspector?limit=-3"), 400, "validation_error");
        assertError(t.get("/webhook-inspector?limit=1.5"), 400, "validation_error");

        List<Map<String, Object>> typeA = t.all("/webhook-inspector?eventType=" + A, 50); // 50, 50, 20
        assertEquals(120, typeA.size());
        assertTrue(typeA.stream().allMatch(d -> A.equals(d.get("eventType"))));
        assertEachOnceNewestFirst(typeA);
        List<Map<String, Object>> typeB = t.all("/webhook-inspector?eventType=" + B, 50); // 50, 40
        assertEquals(90, typeB.size());
        assertTrue(typeB.stream().allMatch(d -> B.equals(d.get("eventType"))));

        List<Map<String, Object>> oneHook = t.all("/webhook-inspector?webhookId=" + hooks.get(1), 50); // 50, 20
        assertEquals(70, oneHook.size());
        assertTrue(oneHook.stream().allMatch(d -> hooks.get(1).equals(d.get("webhookId"))));
        assertEquals(210, t.all("/webhook-inspector?outcome=intercepted", 50).size());
        assertEquals(List.of(), data(t.get("/webhook-inspector?outcome=delivered")));

        // Another tenant sees none of them: not in its lists, not by id, not through a cursor.
        TenantClient other = new TenantClient();
        assertEquals(List.of(), data(other.get("/webhook-inspector?limit=200")));
        assertEquals(List.of(), data(other.get("/webhook-inspector?eventType=" + A)));
        assertEquals(List.of(), data(other.get("/webhook-inspector?webhookId=" + hooks.get(0))));
        assertError(other.get("/webhook-inspector/" + all.get(0).get("id")), 404, "not_found");
        String cursor = (String) json(t.get("/webhook-inspector")).get("nextCursor");
        assertError(other.get("/webhook-inspector?cursor=" + enc(cursor)), 400, "invalid_cursor");

        // Bad cursors: garbage, truncated, or another list's.
        assertError(t.get("/webhook-inspector?cursor=not-a-cursor"), 400, "invalid_cursor");
        assertError(t.get("/webhook-inspector?cursor=" + enc(cursor.substring(0, cursor.length() / 2))), 400, "invalid_cursor");
        assertError(t.get("/webhook-inspector?eventType=" + A + "&cursor=" + enc(cursor)), 400, "invalid_cursor");
        String typeCursor = (String) json(t.get("/webhook-inspector?eventType=" + A)).get("nextCursor");
        assertError(t.get("/webhook-inspector?eventType=" + B + "&cursor=" + enc(typeCursor)), 400, "invalid_cursor");
    }

    @Test
    void combinedFiltersGiveFullPagesOfOnlyMatchingDispatchesAndOneDispatchComesWhole() {
        TenantClient t = new TenantClient();
        String h0 = (String) t.createWebhook(receiver.url("/c0"), "\"*\"").get("id");
        String h1 = (String) t.createWebhook(receiver.url("/c1"), "\"*\"").get("id");
        receiver.script("/c1", new Receiver.Answer(201, Duration.ZERO, "x".repeat(10_000)));
        assertEquals(200, t.post("/webhooks/test-mode/enable").status());
        t.pushMany(A, 7); // 14 intercepted A
        t.pushMany(B, 5); // 10 intercepted B
        awaitCount(t, 24);
        assertEquals(200, t.post("/webhooks/test-mode/disable").status());
        t.pushMany(A, 6); // 12 delivered A
        t.pushMany(B, 4); // 8 delivered B
        awaitCount(t, 44);

        List<Map<String, Object>> deliveredA = t.all("/webhook-inspector?eventType=" + A + "&outcome=delivered", 5); // 5,5,2
        assertEquals(12, deliveredA.size());
        assertTrue(deliveredA.stream().allMatch(d -> A.equals(d.get("eventType")) && "delivered".equals(d.get("outcome"))));
        assertEachOnceNewestFirst(deliveredA);
        List<Map<String, Object>> interceptedA = t.all("/webhook-inspector?outcome=intercepted&eventType=" + A, 5);
        assertEquals(14, interceptedA.size());
        assertTrue(interceptedA.stream().allMatch(d -> A.equals(d.get("eventType")) && "intercepted".equals(d.get("outcome"))));
        List<Map<String, Object>> h1DeliveredB = t.all(
                "/webhook-inspector?webhookId=" + h1 + "&eventType=" + B + "&outcome=delivered", 3); // 3, 1
        assertEquals(4, h1DeliveredB.size());
        assertTrue(h1DeliveredB.stream().allMatch(d -> h1.equals(d.get("webhookId")) && B.equals(d.get("eventType"))
                && "delivered".equals(d.get("outcome"))));
        assertEquals(10, t.all("/webhook-inspector?webhookId=" + h0 + "&outcome=delivered", 4).size());
        assertEquals(List.of(), data(t.get("/webhook-inspector?outcome=failed")));

        // One dispatch, whole: the first delivery to /c1 got the scripted 201 with a 10 KB body.
        Map<String, Object> first = t.all("/webhook-inspector?webhookId=" + h1 + "&outcome=delivered", 50).stream()
                .filter(d -> Integer.valueOf(201).equals(d.get("statusCode"))).findFirst().orElseThrow();
        Map<String, Object> whole = json(t.get("/webhook-inspector/" + first.get("id")));
        assertEquals(first.get("id"), whole.get("id"));
        assertEquals(201, whole.get("statusCode"));
        assertEquals("x".repeat(4096), whole.get("responseBody"), "the first 4 KiB of the response");
        assertEquals(1, whole.get("attempt"));
        assertNull(whole.get("error"));
        assertNull(whole.get("nextAttemptAt"));
        assertTrue(((Number) whole.get("latencyMs")).longValue() >= 0);
        Receiver.Request sent = receiver.requests("/c1").stream()
                .filter(r -> r.header("webhook-id").equals(whole.get("eventId"))).findFirst().orElseThrow();
        assertEquals(sent.body(), whole.get("payload"), "the exact body sent");
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) whole.get("requestHeaders");
        assertEquals(sent.header("webhook-signature"), headers.get("webhook-signature"), "the signature value sent");
        assertEquals(sent.header("webhook-timestamp"), headers.get("webhook-timestamp"));

        // Input errors.
        assertError(t.get("/webhook-inspector/dispatch_nope"), 404, "not_found");
        assertError(t.get("/webhook-inspector/" + ((String) first.get("id")).replace("dispatch_", "dispatch_0")), 404, "not_found");
        assertError(t.get("/webhook-inspector/dispatch_00000000000000000000000000"), 404, "not_found");
        assertError(t.get("/webhook-inspector?outcome=lost"), 400, "validation_error");
        assertError(t.get("/webhook-inspector?sort=asc"), 400, "validation_error"); // unknown parameters are refused
        assertError(t.get("/webhook-inspector?eventType=" + "x".repeat(300)), 400, "validation_error");
    }

    @Test
    void largePayloadsGiveShorterPagesThatFitTheLambdaResponseLimitAndContinue() {
        TenantClient t = new TenantClient();
        t.createWebhook(receiver.url("/big0"), "\"*\"");
        t.createWebhook(receiver.url("/big1"), "\"*\"");
        assertEquals(200, t.post("/webhooks/test-mode/enable").status());
        // ~220 KB envelopes (under SQS's 256 KiB) full of quotes: every JSON encoding level doubles them.
        String text = "\"".repeat(90_000) + "x".repeat(40_000);
        for (int i = 0; i < 8; i++) {
            t.push(A, Map.of("text", text, "n", i));
        }
        awaitCount(t, 16);

        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response r = t.get("/webhook-inspector?limit=200" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            assertEquals(200, r.status(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
            int bodyBytes = r.body().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bodyBytes < 6_000_000, "HTTP body " + bodyBytes + " bytes");
            // What the Lambda returns to API Gateway is this body inside a JSON document: that is what the limit counts.
            int lambdaBytes = Json.write(Map.of("statusCode", 200, "headers", Map.of("content-type", "application/json"),
                    "body", r.body(), "isBase64Encoded", false)).getBytes(StandardCharsets.UTF_8).length;
            assertTrue(lambdaBytes < 6_000_000, "Lambda response " + lambdaBytes + " bytes");
            List<Map<String, Object>> page = data(r);
            assertTrue(!page.isEmpty() && page.size() < 16, "a page of large dispatches is shorter: " + page.size());
            assertTrue(page.stream().allMatch(d -> ((String) d.get("payload")).contains(text.substring(0, 100).replace("\"", "\\\""))));
            all.addAll(page);
            cursor = (String) json(r).get("nextCursor");
            pages++;
        } while (cursor != null);
        assertTrue(pages >= 2, "a cursor continued the list");
        assertEquals(16, all.size());
        assertEachOnceNewestFirst(all);
    }

    /** Polls (two requests at most per poll) until the tenant has {@code count} dispatches. */
    private static void awaitCount(TenantClient t, int count) {
        Eventually.await(WAIT, count + " dispatches for " + t.tenant, () -> countAll(t) >= count);
        assertEquals(count, countAll(t));
    }

    private static int countAll(TenantClient t) {
        int n = 0;
        String cursor = null;
        do {
            Map<String, Object> body = json(t.get("/webhook-inspector?limit=200" + (cursor == null ? "" : "&cursor=" + enc(cursor))));
            n += ((List<?>) body.get("data")).size();
            cursor = (String) body.get("nextCursor");
        } while (cursor != null);
        return n;
    }

    private static void assertEachOnceNewestFirst(List<Map<String, Object>> items) {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            assertTrue(seen.add(items.get(i).get("id")), "seen twice: " + items.get(i).get("id"));
            if (i > 0) {
                String newer = (String) items.get(i - 1).get("id");
                String older = (String) items.get(i).get("id");
                assertTrue(newer.compareTo(older) > 0, "newest first: " + newer + " before " + older);
            }
        }
    }
}
