package com.astra.webhooks.store;

import java.time.Instant;

/**
 * A per-webhook send rate shared by every dispatcher container (DESIGN.md "Receiver controls",
 * rate limit). A caller reserves the next free send slot; slots are {@code 1/limit} seconds
 * apart, so no second holds more than {@code limit} sends, whichever container sends them.
 */
public interface RateLimiter {

    /**
     * Reserves one send to this webhook at {@code limitPerSecond} and returns when it may start:
     * {@code now} when the webhook is idle, else a time after every earlier reservation. A
     * reservation is never taken back: the caller sends at that time (or later), it does not
     * reserve again for the same delivery.
     */
    Instant reserve(String tenant, String webhookId, int limitPerSecond, Instant now);
}
