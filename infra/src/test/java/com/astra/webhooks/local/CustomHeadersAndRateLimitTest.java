package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A webhook's own headers (sent with every delivery and test send, recorded in test mode,
 * refused by name when the service sets them) and its {@code rateLimit} field, through the
 * runner: real API handler, real dispatcher fed from SQS, real receiver on loopback.
 */
@ExtendWith(AstraLocalExtension.class)
class CustomHeadersAndRateLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, String> GATEWAY_HEADERS = Map.of(
            "Authorization", "Bearer gateway-token-123", "X-Route", "blue");

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    private Map<String, Object> create(Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("url", receiver.url("/hook"), "events", List.of("agent_completed")));
        body.putAll(fields);
        Http.Response r = tenant.http.post("/webhooks", tenant.token, Json.write(body));
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

    private Http.Response put(String id, String body) {
        return tenant.http.put("/webhooks/" + id, tenant.token, body);
    }

    private static void assertCarriesGatewayHeaders(Receiver.Request request) {
        assertEquals("Bearer gateway-token-123", request.header("authorization"), request.headers().toString());
        assertEquals("blue", request.header("x-route"), request.headers().toString());
        assertEquals("application/json", request.header("content-type"));
        assertTrue(request.header("webhook-signature").startsWith("v1,"), "the service's own headers are still there");
    }

    @Test
    void customHeadersReachTheReceiverOnARealDeliveryAndOnATestSend() {
        Map<String, Object> created = create(Map.of("headers", GATEWAY_HEADERS));
        String id = (String) created.get("id");
        assertEquals(GATEWAY_HEADERS, created.get("headers"));
        assertEquals(GATEWAY_HEADERS, json(tenant.get("/webhooks/" + id)).get("headers"), "configuration, shown by GET");

        String eventId = tenant.push("agent_completed", Map.of("run", 1));
        Receiver.Request delivered = receiver.await("/hook", 1, WAIT).get(0);
        assertEquals(eventId, delivered.header("webhook-id"));
        assertCarriesGatewayHeaders(delivered);

        assertEquals(200, tenant.post("/webhooks/" + id + "/test").status());
        Receiver.Request test = receiver.await("/hook", 2, WAIT).get(1);
        assertTrue(test.body().contains("webhook.test"), test.body());
        assertCarriesGatewayHeaders(test);
    }

    @Test
    void inTestModeTheInterceptedRequestHeadersIncludeTheCustomHeaders() {
        String id = (String) create(Map.of("headers", GATEWAY_HEADERS)).get("id");
        assertEquals(200, tenant.post("/webhooks/test-mode/enable").status());

        Http.Response test = tenant.post("/webhooks/" + id + "/test");
        assertEquals(200, test.status(), test.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) json(test).get("requestHeaders");
        assertEquals("Bearer gateway-token-123", sent.get("Authorization"), sent.toString());
        assertEquals("blue", sent.get("X-Route"));

        tenant.push("agent_completed", Map.of("run", 2));
        Eventually.await(WAIT, "the event to be intercepted", () -> data(tenant.get("/webhooks/test-mode/log")).size() == 2);
        for (Map<String, Object> entry : data(tenant.get("/webhooks/test-mode/log"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> headers = (Map<String, Object>) entry.get("requestHeaders");
            assertEquals("Bearer gateway-token-123", headers.get("Authorization"), headers.toString());
        }
        assertEquals(List.of(), receiver.requests("/hook"), "test mode sends nothing");
    }

    @Test
    void refusedHeadersAre400NamingTheHeaderAndChangeNothing() {
        String id = (String) create(Map.of("headers", Map.of("X-Kept", "1"), "rateLimit", 5)).get("id");
        String before = tenant.get("/webhooks/" + id).body();

        Map<String, Object> tooMany = new LinkedHashMap<>();
        for (int i = 1; i <= 21; i++) {
            tooMany.put("X-H" + i, "v");
        }
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("{\"headers\":{\"Host\":\"x\"}}", "headers.Host");
        refusals.put("{\"headers\":{\"webhook-id\":\"evt_forged\"}}", "headers.webhook-id");
        refusals.put(Json.write(Map.of("headers", tooMany)), "headers");
        refusals.put("{\"headers\":{\"X-Bad\":\"a\\u0007b\"},\"url\":" + Json.write(receiver.url("/other")) + "}", "headers.X-Bad");
        refusals.forEach((body, field) -> {
            Http.Response r = put(id, body);
            assertError(r, 400, "validation_error");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> details = (List<Map<String, Object>>) ((Map<String, Object>) json(r).get("error")).get("details");
            assertEquals(field, details.get(0).get("field"), r.body());
            assertTrue(r.body().contains(field), "the message names the header: " + r.body());
            assertEquals(before, tenant.get("/webhooks/" + id).body(), "a refused PUT changes nothing: " + body);
        });

        Http.Response refusedCreate = tenant.http.post("/webhooks", tenant.token,
                Json.write(Map.of("url", receiver.url("/hook"), "events", "*", "headers", Map.of("Content-Type", "text/plain"))));
        assertError(refusedCreate, 400, "validation_error");
        assertEquals(1, data(tenant.get("/webhooks")).size(), "a refused create stores nothing");
    }

    @Test
    void headersAreReplacedWholeByAPutAndDefaultToNone() {
        Map<String, Object> created = create(Map.of());
        String id = (String) created.get("id");
        assertEquals(Map.of(), created.get("headers"));
        assertEquals(Map.of(), data(tenant.get("/webhooks")).get(0).get("headers"));

        Http.Response r = put(id, "{\"headers\":{\"X-One\":\"1\",\"X-Two\":\"2\"}}");
        assertEquals(Map.of("X-One", "1", "X-Two", "2"), json(r).get("headers"));
        r = put(id, "{\"description\":\"only this\"}");
        assertEquals(Map.of("X-One", "1", "X-Two", "2"), json(r).get("headers"), "absent from a PUT: kept");
        r = put(id, "{\"headers\":{}}");
        assertEquals(Map.of(), json(r).get("headers"));
        assertEquals(Map.of(), json(tenant.get("/webhooks/" + id)).get("headers"));
    }

    @Test
    void rateLimitIsAWholeNumberFrom1To10000OrNullAndShownInEveryView() {
        Map<String, Object> unlimited = create(Map.of());
        assertTrue(unlimited.containsKey("rateLimit"));
        assertNull(unlimited.get("rateLimit"), "unlimited by default");

        Map<String, Object> limited = create(Map.of("rateLimit", 20));
        String id = (String) limited.get("id");
        assertEquals(20, limited.get("rateLimit"));
        assertEquals(20, json(tenant.get("/webhooks/" + id)).get("rateLimit"));
        assertEquals(20, data(tenant.get("/webhooks")).stream().filter(w -> id.equals(w.get("id"))).findFirst()
                .orElseThrow().get("rateLimit"));

        assertEquals(10000, json(put(id, "{\"rateLimit\":10000}")).get("rateLimit"));
        String before = tenant.get("/webhooks/" + id).body();
        for (String bad : List.of("0", "10001", "-5", "2.5", "\"20\"", "true", "{}", "99999999999999999999")) {
            Http.Response r = put(id, "{\"rateLimit\":" + bad + "}");
            assertError(r, 400, "validation_error");
            assertTrue(r.body().contains("rateLimit"), r.body());
            assertEquals(before, tenant.get("/webhooks/" + id).body(), "unchanged after rateLimit " + bad);
        }
        Http.Response cleared = put(id, "{\"rateLimit\":null}");
        assertEquals(200, cleared.status(), cleared.body());
        assertTrue(json(cleared).containsKey("rateLimit"));
        assertNull(json(cleared).get("rateLimit"));
        assertNull(json(tenant.get("/webhooks/" + id)).get("rateLimit"));
    }
}
