package com.astra.webhooks.store;

import java.time.Instant;

/**
 * Where each (event, webhook) pair stands. Every change is a conditional write, so two
 * workers holding copies of the same event (pushed twice, or redelivered after a crash)
 * cannot both send it: one claims the attempt, the other learns it is taken.
 */
public interface DeliveryStateStore {

    enum Claim {
        /** This worker owns the attempt now. */
        CLAIMED,
        /** Delivered, finished, dropped or already past this attempt: nothing to do. */
        DONE,
        /** Another worker is sending this attempt right now; try again later. */
        BUSY
    }

    /**
     * Claims attempt {@code attempt}: allowed for a new pair (attempt 1), for the attempt after a
     * failed one that scheduled it, or to redo an attempt whose worker died (lease expired).
     */
    Claim claim(String tenant, String eventId, String webhookId, int attempt, Instant now, Instant leaseUntil,
            Instant expiresAt);

    /** Final states; each applies only while this attempt is still the owner's. */
    void finish(String tenant, String eventId, String webhookId, int attempt, State state);

    enum State {
        INFLIGHT, WAITING, DELIVERED, FAILED, INTERCEPTED, DROPPED
    }
}
