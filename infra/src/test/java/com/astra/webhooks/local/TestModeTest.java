package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.store.dynamodb.TableLayout;
import com.svix.Webhook;
import com.svix.exceptions.WebhookVerificationException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Test mode through the runner: the real dispatcher picks events off the real queue, signs them,
 * and logs what it would have sent instead of sending it, per tenant.
 */
@ExtendWith(AstraLocalExtension.class)
class TestModeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void enabledTestModeSignsAndLogsInsteadOfSendingWhileOtherTenantsStillReceive() throws Exception {
        TenantClient a = new TenantClient();
        TenantClient b = new TenantClient();
        Map<String, Object> hookA = a.createWebhook(receiver.url("/a"), "[\"agent_completed\"]");
        Map<String, Object> hookB = b.createWebhook(receiver.url("/b"), "[\"agent_completed\"]");
        String secretA = (String) hookA.get("secret");

        assertEquals(false, json(a.get("/webhooks/test-mode")).get("enabled"), "off until enabled");
        Http.Response enabled = a.post("/webhooks/test-mode/enable");
        assertEquals(200, enabled.status(), enabled.body());
        assertEquals(true, json(enabled).get("enabled"));
        assertNotNull(json(enabled).get("updatedAt"));
        assertEquals(true, json(a.get("/webhooks/test-mode")).get("enabled"));
        assertEquals(false, json(b.get("/webhooks/test-mode")).get("enabled"), "test mode is per tenant");

        // Pushed right after enable answered: no stale window.
        String eventA = a.push("agent_completed", Map.of("answer", 42));
        String eventB = b.push("agent_completed", Map.of("answer", 43));

        // The other tenant's event is delivered meanwhile.
        Receiver.Request deliveredB = receiver.await("/b", 1, WAIT).get(0);
        assertTrue(deliveredB.body().contains(eventB), deliveredB.body());

        // Tenant A's event has been processed (its log entry exists) and nothing reached the receiver.
        Map<String, Object> entry = awaitLog(a, 1).get(0);
        assertEquals(0, receiver.requests("/a").size(), "test mode makes no HTTP call");
        assertEquals("intercepted", entry.get("outcome"));
        assertEquals(eventA, entry.get("eventId"));
        assertEquals("agent_completed", entry.get("eventType"));
        assertEquals(hookA.get("id"), entry.get("webhookId"));
        assertEquals(receiver.url("/a"), entry.get("url"), "the target URL that would have been called");
        assertEquals(1, ((Number) entry.get("attempt")).intValue());
        assertNull(entry.get("statusCode"));
        assertNull(entry.get("nextAttemptAt"), "no retry is scheduled for an interception");
        String payload = (String) entry.get("payload");
        Map<String, Object> envelope = Json.parseObject(payload);
        assertEquals(eventA, envelope.get("id"));
        assertEquals(Map.of("answer", 42), envelope.get("data"));

        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) entry.get("requestHeaders");
        assertEquals(eventA, headers.get("webhook-id"));
        assertEquals("application/json", headers.get("content-type"));
        assertTrue(headers.get("user-agent").startsWith("astra-webhooks/"), headers.toString());
        assertTrue(headers.get("webhook-signature").startsWith("v1,"), headers.toString());
        // A receiver holding the secret from create would accept exactly this request.
        assertDoesNotThrow(() -> new Webhook(secretA).verify(payload, svixHeaders(headers)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(secretA).verify(payload.replace("42", "41"), svixHeaders(headers)));

        // The inspector shows the same entry, whole.
        Map<String, Object> inspected = json(a.get("/webhook-inspector/" + entry.get("id")));
        assertEquals(headers, inspected.get("requestHeaders"));
        assertEquals(payload, inspected.get("payload"));

        // The log entry expires with the retention TTL (30 days by default).
        Map<String, AttributeValue> item = AstraLocalExtension.dynamoDb().getItem(r -> r
                .tableName(AstraLocalExtension.tableName())
                .key(Map.of(TableLayout.PK, AttributeValue.fromS(TableLayout.dispatchesKey(a.tenant, (String) entry.get("webhookId"))),
                        TableLayout.SK, AttributeValue.fromS((String) entry.get("id"))))).item();
        long expiresAt = Long.parseLong(item.get(TableLayout.EXPIRES_AT).n());
        Instant createdAt = Instant.parse((String) entry.get("createdAt"));
        assertEquals(createdAt.plus(Duration.ofDays(30)).getEpochSecond(), expiresAt);

        // A test send is intercepted too.
        Http.Response test = a.post("/webhooks/" + hookA.get("id") + "/test");
        assertEquals(200, test.status(), test.body());
        assertEquals("intercepted", json(test).get("outcome"));
        assertEquals("webhook.test", json(test).get("eventType"));
        List<Map<String, Object>> log = awaitLog(a, 2);
        assertEquals(json(test).get("id"), log.get(0).get("id"), "newest first");
        assertEquals(0, receiver.requests("/a").size());

        // Clearing empties this tenant's log only.
        TenantClient c = new TenantClient();
        c.createWebhook(receiver.url("/c"), "[\"agent_completed\"]");
        assertEquals(200, c.post("/webhooks/test-mode/enable").status());
        c.push("agent_completed", Map.of());
        awaitLog(c, 1);
        assertEquals(204, a.delete("/webhooks/test-mode/log").status());
        assertEquals(List.of(), data(a.get("/webhooks/test-mode/log")));
        assertEquals(1, data(c.get("/webhooks/test-mode/log")).size(), "another tenant's log is untouched");
        assertEquals(List.of(), data(b.get("/webhooks/test-mode/log")));

        // Disabled: the next event is delivered for real, signed with the same secret.
        Http.Response disabled = a.post("/webhooks/test-mode/disable");
        assertEquals(200, disabled.status(), disabled.body());
        assertEquals(false, json(disabled).get("enabled"));
        String next = a.push("agent_completed", Map.of("answer", 44));
        Receiver.Request delivered = receiver.await("/a", 1, WAIT).get(0);
        assertEquals(next, delivered.header("webhook-id"));
        assertDoesNotThrow(() -> new Webhook(secretA).verify(delivered.body(), svixHeaders(delivered.headers())));
        Eventually.await(WAIT, "the delivery to be recorded", () -> data(a.get("/webhook-inspector?outcome=delivered")).size() == 1);
        assertEquals(List.of(), data(a.get("/webhooks/test-mode/log")), "a real delivery is not a log entry");
        assertEquals(1, data(c.get("/webhooks/test-mode/log")).size(), "tenant C stays in test mode");
        assertEquals(0, receiver.requests("/c").size());
    }

    @Test
    void testModeLogIsPagedNewestFirstAndTakesNoUnknownBody() {
        TenantClient a = new TenantClient();
        a.createWebhook(receiver.url("/p1"), "[\"tool.executed\"]");
        a.createWebhook(receiver.url("/p2"), "\"*\"");
        assertEquals(200, a.post("/webhooks/test-mode/enable").status());
        a.pushMany("tool.executed", 6);
        awaitLog(a, 12);

        List<Map<String, Object>> paged = a.all("/webhooks/test-mode/log", 5);
        assertEquals(12, paged.size());
        Set<Object> ids = new HashSet<>();
        for (int i = 0; i < paged.size(); i++) {
            assertTrue(ids.add(paged.get(i).get("id")), "each entry once");
            if (i > 0) {
                assertTrue(((String) paged.get(i - 1).get("id")).compareTo((String) paged.get(i).get("id")) > 0, "newest first");
            }
        }
        assertEquals(0, receiver.requests("/p1").size() + receiver.requests("/p2").size());

        assertError(a.get("/webhooks/test-mode/log?limit=0"), 400, "validation_error");
        assertError(a.get("/webhooks/test-mode/log?cursor=nonsense"), 400, "invalid_cursor");
        assertError(a.http.post("/webhooks/test-mode/enable", a.token, "{\"enabled\":true}"), 400, "validation_error");
    }

    private static List<Map<String, Object>> awaitLog(TenantClient t, int count) {
        Eventually.await(WAIT, count + " test-mode log entries for " + t.tenant,
                () -> data(t.get("/webhooks/test-mode/log?limit=200")).size() >= count);
        List<Map<String, Object>> log = data(t.get("/webhooks/test-mode/log?limit=200"));
        assertEquals(count, log.size(), log.toString());
        return log;
    }

    private static Map<String, List<String>> svixHeaders(Map<String, String> headers) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return h;
    }
}
