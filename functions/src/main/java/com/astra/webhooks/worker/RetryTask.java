package com.astra.webhooks.worker;

import com.astra.webhooks.core.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dispatcher's note to itself: attempt {@code attempt} of one event to one webhook, due at {@code dueAt}. */
public record RetryTask(String tenant, String eventId, String webhookId, int attempt, Instant dueAt) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("eventId", eventId);
        m.put("webhookId", webhookId);
        m.put("attempt", attempt);
        m.put("dueAt", dueAt.toString());
        return Json.write(m);
    }

    public static RetryTask fromJson(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            return new RetryTask((String) m.get("tenant"), (String) m.get("eventId"), (String) m.get("webhookId"),
                    ((Number) m.get("attempt")).intValue(), Instant.parse((String) m.get("dueAt")));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("retry message is malformed");
        }
    }
}
