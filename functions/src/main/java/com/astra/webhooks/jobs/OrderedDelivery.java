package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ordered event to one webhook, as the ordered stage carries it: the event (its payload is
 * in the event store), the webhook, the ordering key and the sequence number fixed at fan-out.
 * {@code firstSeen} is when the event was first taken up: with the event and webhook it computes
 * the ids of the delivery's attempts, so every copy of the message finds the same records.
 */
public record OrderedDelivery(String tenant, String eventId, String eventType, String webhookId, String orderingKey,
        long sequence, Instant firstSeen) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("eventId", eventId);
        m.put("eventType", eventType);
        m.put("webhookId", webhookId);
        m.put("orderingKey", orderingKey);
        m.put("sequence", sequence);
        m.put("firstSeen", firstSeen.toString());
        return Json.write(m);
    }

    public static OrderedDelivery fromJson(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            return new OrderedDelivery(JobCodec.required(m, "tenant"), JobCodec.required(m, "eventId"), JobCodec.required(m, "eventType"), JobCodec.required(m, "webhookId"),
                    JobCodec.required(m, "orderingKey"), ((Number) m.get("sequence")).longValue(), Instant.parse(JobCodec.required(m, "firstSeen")));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("ordered delivery message is malformed");
        }
    }
}
