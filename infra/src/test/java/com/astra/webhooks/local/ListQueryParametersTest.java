package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every list route refuses a query parameter it does not know with a 400 in the error shape, as
 * the inspector does: {@code ?outcome=delivered} on a route without that filter must not answer
 * an unfiltered list that looks filtered. And every time it shows has three fraction digits.
 */
@ExtendWith(AstraLocalExtension.class)
class ListQueryParametersTest {

    private final TenantClient tenant = new TenantClient();

    @Test
    void unknownQueryParametersAreA400OnEveryListRoute() {
        Map<String, Object> webhook = tenant.createWebhook("http://127.0.0.1:9/hook", "[\"agent_completed\"]");
        String id = (String) webhook.get("id");
        for (String path : List.of("/webhooks", "/webhooks/" + id + "/deliveries", "/webhooks/" + id + "/stats",
                "/webhooks/test-mode/log", "/webhook-inspector")) {
            Http.Response r = tenant.get(path + "?outcome=delivered&colour=blue"); // the inspector knows outcome, not colour
            assertEquals(400, r.status(), path + ": " + r.body());
            Map<?, ?> error = (Map<?, ?>) WebhookApiTest.json(r).get("error");
            assertEquals("validation_error", error.get("code"), r.body());
            assertTrue(((String) error.get("message")).startsWith("unknown query parameter "), r.body());
            assertEquals(200, tenant.get(path).status(), path + " without them");
        }
    }

    @Test
    void timesAreWrittenWithMilliseconds() {
        Map<String, Object> webhook = tenant.createWebhook("http://127.0.0.1:9/hook", "[\"agent_completed\"]");
        String millis = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
        assertTrue(((String) webhook.get("createdAt")).matches(millis), webhook.toString());
        assertTrue(((String) webhook.get("updatedAt")).matches(millis), webhook.toString());
        Map<String, Object> stats = WebhookApiTest.json(tenant.get("/webhooks/" + webhook.get("id") + "/stats"));
        assertTrue(((String) stats.get("since")).matches(millis), stats.toString());
        assertTrue(((String) stats.get("until")).matches(millis), stats.toString());
    }
}
