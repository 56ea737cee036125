package com.astra.webhooks.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.dispatch.Envelope;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.testing.JsonArbitraries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Whatever an agent pushes is either an event the dispatcher can store and send, or poison with a reason. */
class IncomingEventPropertiesTest {

    private static final EventTypeCatalog CATALOG = EventTypeCatalog.parse(null);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Provide
    Arbitrary<String> messages() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, JsonArbitraries.bodyTexts(List.of("event", "tenant", "data", "id", "timestamp"))),
                Tuple.of(6, JsonArbitraries.mostlyValid(Map.of(
                        "event", Arbitraries.of(CATALOG.names()).map(n -> (Object) n),
                        "tenant", JsonArbitraries.strings().map(t -> (Object) t),
                        "data", Arbitraries.maps(JsonArbitraries.strings(), JsonArbitraries.values(2)).ofMaxSize(4)
                                .map(d -> (Object) d),
                        "id", Arbitraries.strings().withChars("abcXYZ019_.:-").ofMinLength(1).ofMaxLength(20).map(i -> (Object) i),
                        "timestamp", Arbitraries.of("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123+02:00")
                                .map(t -> (Object) t))).map(JsonArbitraries::write)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    @Property(tries = 1000)
    void anyMessageIsASoundEventOrPoison(@ForAll("messages") String body) {
        Event event;
        try {
            event = IncomingEvent.parse(body, CATALOG, CLOCK);
        } catch (PoisonMessageException e) {
            assertFalse(e.getMessage().isBlank(), "poison says why");
            return;
        }
        assertTrue(CATALOG.contains(event.type()), event.type());
        assertTrue(com.astra.webhooks.model.Tenants.isValid(event.tenant()), event.tenant());
        assertTrue(event.id().matches("[A-Za-z0-9_.:\\-]{1,128}"), event.id());
        assertNotNull(event.timestamp());
        String envelope = Envelope.of(event);
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(envelope) && StandardCharsets.UTF_8.newEncoder()
                .canEncode(event.tenant()), "an accepted event can be stored and sent as UTF-8: " + envelope);
    }
}
