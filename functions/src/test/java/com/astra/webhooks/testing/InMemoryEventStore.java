package com.astra.webhooks.testing;

import com.astra.webhooks.store.EventStore;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The one in-memory {@link EventStore}: it passes {@code EventStoreContract} like the DynamoDB store. */
public final class InMemoryEventStore implements EventStore {

    /** What is stored, by {@code tenant + "/" + eventId}: a test may put an event "seen earlier" here. */
    public final Map<String, Stored> stored = new ConcurrentHashMap<>();

    @Override
    public Stored putIfAbsent(String tenant, String eventId, String eventType, String payload, Instant now,
            Instant expiresAt) {
        Stored mine = new Stored(payload, now, true);
        Stored previous = stored.putIfAbsent(tenant + "/" + eventId, mine);
        return previous == null ? mine : new Stored(previous.payload(), previous.firstSeen(), false);
    }

    @Override
    public Optional<String> payload(String tenant, String eventId) {
        return Optional.ofNullable(stored.get(tenant + "/" + eventId)).map(Stored::payload);
    }

    @Override
    public Map<String, String> payloads(String tenant, Collection<String> eventIds) {
        Map<String, String> found = new HashMap<>();
        eventIds.forEach(id -> payload(tenant, id).ifPresent(p -> found.put(id, p)));
        return found;
    }
}
