package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookValidator;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tenant at its cap: the store refuses the create, which makes POST /webhooks a 409 in the contract's error shape. */
class WebhookLimitResponseTest {

    private static final String SECRET = "limit-secret";

    @Test
    void aCreateOverTheCapIsA409WebhookLimitReached() throws Exception {
        InMemoryWebhookStore full = new InMemoryWebhookStore();
        for (int i = 0; i < WebhookStore.MAX_WEBHOOKS_PER_TENANT; i++) {
            full.create(new Webhook("wh_" + i, "t-full", "https://example.com/hook", List.of("agent_completed"), null,
                    true, Instant.EPOCH, Instant.EPOCH, "whsec_x"));
        }
        EventTypeCatalog catalog = EventTypeCatalog.parse(null);
        TargetGuard guard = new TargetGuard(false, false, host -> new InetAddress[] {InetAddress.getByName("93.184.216.34")});
        WebhooksHandler handler = new WebhooksHandler(new TokenVerifier(SECRET, null, null, null, null),
                new WebhookService(full, new WebhookValidator(catalog, guard), Clock.systemUTC()),
                null, null, catalog, null, null, null, null, Clock.systemUTC());
        String token = TokenIssuer.issueHs256(SECRET, "t-full", Duration.ofMinutes(5));

        ApiResponse response = handler.handle(new ApiRequest("POST", "/webhooks", "POST /webhooks", Map.of(), Map.of(),
                Map.of("authorization", "Bearer " + token, "content-type", "application/json"),
                "{\"url\":\"https://example.com/hook\",\"events\":[\"agent_completed\"]}"), JsonLog.of(null));

        assertEquals(409, response.status(), response.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) Json.parseObject(response.body()).get("error");
        assertEquals("webhook_limit_reached", error.get("code"));
        assertTrue(((String) error.get("message")).contains("1000"), (String) error.get("message"));
        assertEquals(List.of(), error.get("details"));
    }
}
