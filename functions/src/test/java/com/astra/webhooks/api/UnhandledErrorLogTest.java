package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.observability.JsonLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnhandledErrorLogTest {

    private static final String SECRET = "unit-secret";

    @Test
    void aFiveHundredIsOneJsonRecordWithTheStackTraceAndNothingFromTheRequest() throws Exception {
        String token = TokenIssuer.issueHs256(SECRET, "acme", Duration.ofMinutes(5));
        ApiHandler handler = new ApiHandler(new TokenVerifier(SECRET, null, null, null, null)) {
            @Override
            protected Map<ApiRoute, Route> routes() {
                return Map.of(ApiRoute.UPDATE_WEBHOOK, (request, tenant) -> {
                    throw new IllegalStateException("store broke", new RuntimeException("inner cause"));
                });
            }
        };
        List<String> lines = new ArrayList<>();
        List<Boolean> errors = new ArrayList<>();
        JsonLog log = new JsonLog((line, error) -> {
            lines.add(line);
            errors.add(error);
        }, "req-123");
        String body = "{\"url\":\"https://example.com/?payload-marker\"}";
        ApiResponse response = handler.handle(new ApiRequest("PUT", "/webhooks/wh_path-marker", "PUT /webhooks/{id}",
                Map.of("id", "wh_path-marker"), Map.of("q", "query-marker"),
                Map.of("authorization", "Bearer " + token), body), log);

        assertEquals(500, response.status());
        assertFalse(response.body().contains("store broke"), response.body());
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(List.of(true), errors);
        String line = lines.get(0);
        assertFalse(line.contains("\n"), line);
        Map<String, Object> record = Json.parseObject(line);
        assertEquals("ERROR", record.get("level"));
        assertEquals("req-123", record.get("requestId"));
        assertEquals("PUT /webhooks/{id}", record.get("routeKey"));
        assertEquals(500, ((Number) record.get("status")).intValue());
        assertEquals(IllegalStateException.class.getName(), record.get("errorType"));
        String trace = (String) record.get("stackTrace");
        assertTrue(trace.contains("store broke") && trace.contains("Caused by") && trace.contains("inner cause"), trace);
        for (String secret : List.of(token, SECRET, "payload-marker", "path-marker", "query-marker")) {
            assertFalse(line.contains(secret), secret + " logged: " + line);
        }
    }
}
