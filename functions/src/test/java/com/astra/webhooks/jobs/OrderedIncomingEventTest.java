package com.astra.webhooks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.OrderedEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The ordering key as the event parser checks it: on the FIFO queue required, on both queues valid. */
class OrderedIncomingEventTest {

    private final EventTypeCatalog catalog = EventTypeCatalog.parse(null);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    private static String body(String keyJson) {
        return "{\"event\":\"agent_completed\",\"tenant\":\"t-1\"" + (keyJson == null ? "" : ",\"orderingKey\":" + keyJson) + "}";
    }

    @Test
    void aFifoMessageCarriesItsKeyAndTakesTheMessageIdWhenItHasNoId() throws Exception {
        OrderedEvent e = IncomingEvent.parseOrdered(body("\"run_42\""), "m-1", catalog, clock);
        assertEquals("run_42", e.orderingKey());
        assertEquals("evt_m-1", e.event().id(), "every receive of the message is the same event");
        assertEquals("run_42", IncomingEvent.parseOrdered(body("\"run_42\""), "m-1", catalog, clock).orderingKey());
    }

    @Test
    void aFifoMessageWithoutAKeyIsPoison() {
        PoisonMessageException e = assertThrows(PoisonMessageException.class,
                () -> IncomingEvent.parseOrdered(body(null), "m-1", catalog, clock));
        assertTrue(e.getMessage().contains("orderingKey"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"has space\"", "\"caf\u00e9\"", "\"tab\\t\"", "42", "{}",
            "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\""})
    void anInvalidKeyIsPoisonOnEitherQueue(String key) {
        PoisonMessageException fifo = assertThrows(PoisonMessageException.class,
                () -> IncomingEvent.parseOrdered(body(key), "m-1", catalog, clock));
        assertTrue(fifo.getMessage().contains("1-128 printable ASCII"), fifo.getMessage());
        assertThrows(PoisonMessageException.class, () -> IncomingEvent.parse(body(key), catalog, clock));
    }

    @Test
    void aValidKeyOnTheStandardQueueIsDeliveredUnordered() throws Exception {
        assertEquals("t-1", IncomingEvent.parse(body("\"run_42\""), catalog, clock).tenant());
    }
}
