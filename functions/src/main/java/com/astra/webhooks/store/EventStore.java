package com.astra.webhooks.store;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Event payloads, stored once per event however many webhooks and attempts it has. */
public interface EventStore {

    /**
     * What is stored for an event: the payload every webhook and retry signs, when a worker first
     * took the event up, and whether that was this call.
     */
    record Stored(String payload, Instant firstSeen, boolean first) {}

    /**
     * Stores the payload unless the event id is already known, and returns what is stored for it:
     * the first one pushed wins, so every webhook and every retry signs the same body.
     */
    Stored putIfAbsent(String tenant, String eventId, String eventType, String payload, Instant now, Instant expiresAt);

    Optional<String> payload(String tenant, String eventId);

    /** Payloads by event id, for a page of dispatches; unknown ids (expired) are absent. */
    Map<String, String> payloads(String tenant, Collection<String> eventIds);
}
