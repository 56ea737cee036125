package com.astra.webhooks.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.EventStore.Stored;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link EventStore} does, run against the in-memory fake and against DynamoDB. */
public abstract class EventStoreContract {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00.123Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofDays(1));

    /** A store; tenants here are fresh, so it may hold other tenants' events. */
    protected abstract EventStore store();

    private EventStore store;
    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void open() {
        store = store();
    }

    @Test
    void theFirstPayloadPushedWinsAndSaysWhenItWasFirstSeen() {
        assertEquals(new Stored("{\"n\":1}", NOW, true),
                store.putIfAbsent(tenant, "evt_1", "agent_completed", "{\"n\":1}", NOW, EXPIRES));

        assertEquals(new Stored("{\"n\":1}", NOW, false),
                store.putIfAbsent(tenant, "evt_1", "agent_completed", "{\"n\":2}", NOW.plusSeconds(5), EXPIRES));
        assertEquals(Optional.of("{\"n\":1}"), store.payload(tenant, "evt_1"));
    }

    @Test
    void aBatchOfEventsIsStoredAsEachAloneWouldBe() {
        store.putIfAbsent(tenant, "evt_known", "agent_completed", "{\"n\":0}", NOW.minusSeconds(5), EXPIRES);
        String big = "{\"big\":\"" + "y".repeat(500) + "\"}";
        List<Stored> stored = store.putAllIfAbsent(List.of(
                new EventStore.NewEvent(tenant, "evt_1", "agent_completed", "{\"n\":1}"),
                new EventStore.NewEvent(tenant, "evt_known", "agent_completed", "{\"n\":2}"),
                new EventStore.NewEvent(tenant, "evt_big", "tool.executed", big)), NOW, EXPIRES);

        assertEquals(List.of(new Stored("{\"n\":1}", NOW, true), new Stored("{\"n\":0}", NOW.minusSeconds(5), false),
                new Stored(big, NOW, true)), stored);
        assertEquals(Map.of("evt_1", "{\"n\":1}", "evt_known", "{\"n\":0}", "evt_big", big),
                store.payloads(tenant, List.of("evt_1", "evt_known", "evt_big")));
        assertEquals(List.of(new Stored("{\"n\":1}", NOW, false)),
                store.putAllIfAbsent(List.of(new EventStore.NewEvent(tenant, "evt_1", "agent_completed", "{}")),
                        NOW.plusSeconds(1), EXPIRES));
    }

    @Test
    void payloadsAreFoundByIdAndUnknownIdsAreAbsent() {
        store.putIfAbsent(tenant, "evt_a", "agent_completed", "{\"a\":true}", NOW, EXPIRES);
        store.putIfAbsent(tenant, "evt_b", "agent.failed", "{\"b\":true}", NOW, EXPIRES);

        assertEquals(Map.of("evt_a", "{\"a\":true}", "evt_b", "{\"b\":true}"),
                store.payloads(tenant, List.of("evt_a", "evt_b", "evt_unknown")));
        assertEquals(Map.of(), store.payloads(tenant, List.of()));
        assertTrue(store.payload(tenant, "evt_unknown").isEmpty());
    }

    @Test
    void anotherTenantsEventIsAbsentAndItsIdIsFreeThere() {
        store.putIfAbsent(tenant, "evt_1", "agent_completed", "{}", NOW, EXPIRES);
        String other = tenant + "-other";

        assertTrue(store.payload(other, "evt_1").isEmpty());
        assertEquals(Map.of(), store.payloads(other, List.of("evt_1")));
        assertTrue(store.putIfAbsent(other, "evt_1", "agent_completed", "{\"mine\":1}", NOW, EXPIRES).first());
    }
}
