package com.astra.webhooks.worker;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.model.Dispatch;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dispatcher's note to itself: attempt {@code attempt} of one event (of type {@code eventType})
 * to one webhook, due at {@code dueAt}, scheduled by the dispatch {@code previousId}.
 */
public record RetryTask(String tenant, String eventId, String eventType, String webhookId, int attempt, Instant dueAt,
        String previousId, Dispatch.Trigger trigger) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("eventId", eventId);
        m.put("eventType", eventType);
        m.put("webhookId", webhookId);
        m.put("attempt", attempt);
        m.put("dueAt", dueAt.toString());
        m.put("previousId", previousId);
        m.put("trigger", trigger.wire());
        return Json.write(m);
    }

    public static RetryTask fromJson(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            return new RetryTask(required(m, "tenant"), required(m, "eventId"), required(m, "eventType"),
                    required(m, "webhookId"), ((Number) m.get("attempt")).intValue(), Instant.parse(required(m, "dueAt")),
                    required(m, "previousId"),
                    // Messages queued before triggers existed carry none: they continue an event's chain.
                    m.get("trigger") == null ? Dispatch.Trigger.EVENT : Dispatch.Trigger.fromWire(required(m, "trigger")));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("retry message is malformed");
        }
    }

    private static String required(Map<String, Object> m, String field) {
        if (!(m.get(field) instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return s;
    }
}
