package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The queue message that erases one webhook's previous secret at {@code dueAt}, the end of its grace period. */
public record SecretExpiry(String tenant, String webhookId, Instant dueAt) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("webhookId", webhookId);
        m.put("dueAt", dueAt.toString());
        return Json.write(m);
    }

    public static SecretExpiry fromJson(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            if (!(m.get("tenant") instanceof String tenant) || !(m.get("webhookId") instanceof String webhookId)
                    || !(m.get("dueAt") instanceof String dueAt)) {
                throw new IllegalArgumentException("missing field");
            }
            return new SecretExpiry(tenant, webhookId, Instant.parse(dueAt));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("secret expiry message is malformed");
        }
    }
}
