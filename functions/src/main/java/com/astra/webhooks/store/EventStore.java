package com.astra.webhooks.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
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

    /** An event to store with {@link #putAllIfAbsent}. */
    record NewEvent(String tenant, String eventId, String eventType, String payload) {}

    /**
     * {@link #putIfAbsent} for each event (distinct ones), the answers in the same order; a store
     * may make them in fewer calls.
     */
    default List<Stored> putAllIfAbsent(List<NewEvent> events, Instant now, Instant expiresAt) {
        return events.stream()
                .map(e -> putIfAbsent(e.tenant(), e.eventId(), e.eventType(), e.payload(), now, expiresAt))
                .toList();
    }

    Optional<String> payload(String tenant, String eventId);

    /** Payloads by event id, for a page of dispatches; unknown ids (expired) are absent. */
    Map<String, String> payloads(String tenant, Collection<String> eventIds);
}
