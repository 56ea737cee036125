package com.astra.webhooks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IncomingEventTest {

    private final EventTypeCatalog catalog = EventTypeCatalog.parse(null);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void fillsInIdAndTimestampWhenAbsent() throws Exception {
        Event e = IncomingEvent.parse("{\"event\":\"agent_completed\",\"tenant\":\"t-1\",\"data\":{\"x\":1}}", catalog, clock);
        assertTrue(e.id().startsWith("evt_"));
        assertEquals(clock.instant(), e.timestamp());
        assertEquals(1, e.data().get("x"));
    }

    @Test
    void keepsTheGivenIdAsIdempotencyKey() throws Exception {
        Event e = IncomingEvent.parse("{\"event\":\"tool.executed\",\"tenant\":\"t\",\"id\":\"evt_42\","
                + "\"timestamp\":\"2026-01-01T00:00:00+01:00\"}", catalog, clock);
        assertEquals("evt_42", e.id());
        assertEquals(Instant.parse("2025-12-31T23:00:00Z"), e.timestamp());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[]", "\"string\"", "{}", "{\"event\":\"agent_completed\"}", "{\"tenant\":\"t\"}",
        "{\"event\":42,\"tenant\":\"t\"}", "{\"event\":\"agent_completed\",\"tenant\":\"a#b\"}",
        "{\"event\":\"agent_completed\",\"tenant\":\"\"}", "{\"event\":\"nope\",\"tenant\":\"t\"}",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"data\":[1]}",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"id\":\"has space\"}",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"timestamp\":\"yesterday\"}",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"event\":\"agent_completed\"}",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\"} trailing",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\\ud800\"}",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"data\":{\"text\":\"a\\udc00b\"}}",
        "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"data\":{\"\\ud800\":1}}"})
    void rejectsPoisonWithAReason(String body) {
        PoisonMessageException e = assertThrows(PoisonMessageException.class, () -> IncomingEvent.parse(body, catalog, clock));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void rejectsOversizedMessages() {
        String big = "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"data\":{\"x\":\"" + "a".repeat(300_000) + "\"}}";
        assertThrows(PoisonMessageException.class, () -> IncomingEvent.parse(big, catalog, clock));
    }
}
