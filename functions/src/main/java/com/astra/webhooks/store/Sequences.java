package com.astra.webhooks.store;

import java.time.Instant;

/**
 * The numbers of ordered deliveries: 1, 2, 3 ... per (webhook, ordering key), in the order the
 * events are fanned out. One key's events are fanned out one after another (the FIFO queue hands
 * out one batch of a message group at a time), so the event being numbered is always the key's
 * newest, and a repeat of it (a redelivered message, or an SDK retry of a write that was applied
 * but not answered) must get the number it already has, never a new one.
 */
public interface Sequences {

    /** The sequence number of {@code eventId} at this webhook under this key, taking the next one if it has none. */
    long next(String tenant, String webhookId, String orderingKey, String eventId, Instant expiresAt);
}
