package com.astra.webhooks.jobs;

import com.astra.webhooks.dispatch.OrderingHeaders;
import com.astra.webhooks.model.Dispatch;
import java.time.Instant;

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
        String previousId, Dispatch.Trigger trigger, Instant slot, String claim, Ordering ordering) implements Job {

    /**
     * The ordering key and sequence number an ordered event's delivery was sent with: a recover
     * of it, and each retry of that recover, send them again (not in order: it is a repair).
     */
    public record Ordering(String key, long sequence) {

        /** What an attempt sent in its ordering headers; null for an unordered delivery. */
        public static Ordering sentWith(java.util.Map<String, String> requestHeaders) {
            String key = OrderingHeaders.orderingKey(requestHeaders);
            Long sequence = OrderingHeaders.sequence(requestHeaders);
            return key == null || sequence == null ? null : new Ordering(key, sequence);
        }
    }

    public RetryTask(String tenant, String eventId, String eventType, String webhookId, int attempt, Instant dueAt,
            String previousId, Dispatch.Trigger trigger, Instant slot, String claim) {
        this(tenant, eventId, eventType, webhookId, attempt, dueAt, previousId, trigger, slot, claim, null);
    }

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
        return new RetryTask(tenant, eventId, eventType, webhookId, attempt, dueAt, previousId, trigger, reserved, claim,
                ordering);
    }

    @Override
    public Kind kind() {
        return Kind.RETRY;
    }
}
