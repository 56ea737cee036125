package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.model.Dispatch;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dispatcher's note to itself: attempt {@code attempt} of one event (of type {@code eventType})
 * to one webhook, due at {@code dueAt}, scheduled by the dispatch {@code previousId}.
 *
 * <p>A delivery held back by the webhook's rate limit travels as the same task (same attempt,
 * same {@code dueAt}, so the same dispatch id) with the send {@code slot} it already reserved,
 * so that it does not reserve again when it comes back. A held-back first attempt has no
 * {@code previousId}.
 *
 * <p>A recover's first attempt carries the {@code claim} its recover call marked the failure
 * with: only the task holding the failure's mark is sent (see {@link Recovery#mayStart}).
 */
public record RetryTask(String tenant, String eventId, String eventType, String webhookId, int attempt, Instant dueAt,
        String previousId, Dispatch.Trigger trigger, Instant slot, String claim) {

    /** An event's own delivery chain (trigger "event"), not held back by a rate limit. */
    public RetryTask(String tenant, String eventId, String eventType, String webhookId, int attempt, Instant dueAt,
            String previousId) {
        this(tenant, eventId, eventType, webhookId, attempt, dueAt, previousId, Dispatch.Trigger.EVENT, null, null);
    }

    public RetryTask(String tenant, String eventId, String eventType, String webhookId, int attempt, Instant dueAt,
            String previousId, Dispatch.Trigger trigger) {
        this(tenant, eventId, eventType, webhookId, attempt, dueAt, previousId, trigger, null, null);
    }

    /** The same delivery, held back by the rate limit until its reserved {@code slot}. */
    public RetryTask withSlot(Instant reserved) {
        return new RetryTask(tenant, eventId, eventType, webhookId, attempt, dueAt, previousId, trigger, reserved, claim);
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("eventId", eventId);
        m.put("eventType", eventType);
        m.put("webhookId", webhookId);
        m.put("attempt", attempt);
        m.put("dueAt", dueAt.toString());
        if (previousId != null) {
            m.put("previousId", previousId);
        }
        m.put("trigger", trigger.wire());
        if (slot != null) {
            m.put("slot", slot.toString());
        }
        if (claim != null) {
            m.put("claim", claim);
        }
        return Json.write(m);
    }

    public static RetryTask fromJson(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            return new RetryTask(required(m, "tenant"), required(m, "eventId"), required(m, "eventType"),
                    required(m, "webhookId"), ((Number) m.get("attempt")).intValue(), Instant.parse(required(m, "dueAt")),
                    m.get("previousId") == null ? null : required(m, "previousId"),
                    // Messages queued before triggers existed carry none: they continue an event's chain.
                    m.get("trigger") == null ? Dispatch.Trigger.EVENT : Dispatch.Trigger.fromWire(required(m, "trigger")),
                    m.get("slot") == null ? null : Instant.parse(required(m, "slot")),
                    m.get("claim") == null ? null : required(m, "claim"));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("retry message is malformed");
        }
    }

    /** A non-empty string field of a job message, else an IllegalArgumentException naming it. */
    static String required(Map<String, Object> m, String field) {
        if (!(m.get(field) instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return s;
    }
}
