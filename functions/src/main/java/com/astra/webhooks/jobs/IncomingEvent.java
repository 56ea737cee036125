package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.Text;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.OrderedEvent;
import com.astra.webhooks.model.OrderingKey;
import com.astra.webhooks.model.Tenants;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an agent's message ({@code {"event", "tenant", "data"?, "id"?, "timestamp"?, "orderingKey"?}})
 * or says why it is poison. The id is the idempotency key and the {@code webhook-id} header, so it is
 * restricted to characters that are safe in a header and a key. An {@code orderingKey} is checked
 * wherever it arrives; only the FIFO events queue orders by it (see {@link #parseOrdered}).
 */
public final class IncomingEvent {
    private IncomingEvent() {}

    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");

    public static Event parse(String body, EventTypeCatalog catalog, Clock clock) throws PoisonMessageException {
        Map<String, Object> doc = document(body);
        orderingKey(doc);
        return event(doc, catalog, clock, () -> Ids.newId(Ids.EVENT));
    }

    /**
     * A message of the FIFO events queue: an event that must carry its ordering key. Without an
     * id of its own it takes {@code messageId}'s, which every receive of the message repeats, so
     * that a redelivered message is not a new event.
     */
    public static OrderedEvent parseOrdered(String body, String messageId, EventTypeCatalog catalog, Clock clock)
            throws PoisonMessageException {
        Map<String, Object> doc = document(body);
        String key = orderingKey(doc);
        if (key == null) {
            throw new PoisonMessageException("message on the FIFO events queue lacks \"orderingKey\"");
        }
        return new OrderedEvent(event(doc, catalog, clock, () -> "evt_" + messageId), key);
    }

    private static String orderingKey(Map<String, Object> doc) throws PoisonMessageException {
        Object key = doc.get("orderingKey");
        if (key == null) {
            return null;
        }
        if (!(key instanceof String k) || !OrderingKey.isValid(k)) {
            throw new PoisonMessageException("\"orderingKey\" must be " + OrderingKey.RULE);
        }
        return k;
    }

    private static Map<String, Object> document(String body) throws PoisonMessageException {
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw new PoisonMessageException("message is empty or larger than 256 KiB");
        }
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(body);
        } catch (Exception e) {
            throw new PoisonMessageException("message is not a JSON object");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(Json.write(doc))) {
            // A JSON escape can spell a lone surrogate (backslash-u-d800); no store or receiver can take that text.
            throw new PoisonMessageException("message contains a lone surrogate escape; text must be valid Unicode");
        }
        return doc;
    }

    private static Event event(Map<String, Object> doc, EventTypeCatalog catalog, Clock clock,
            java.util.function.Supplier<String> newId) throws PoisonMessageException {
        Object type = doc.get("event");
        if (!(type instanceof String eventType) || eventType.isBlank()) {
            throw new PoisonMessageException("message lacks \"event\" (a string naming the event type)");
        }
        if (!catalog.contains(eventType)) {
            throw new PoisonMessageException("unknown event type " + Text.printable(eventType));
        }
        Object tenantValue = doc.get("tenant");
        if (!(tenantValue instanceof String tenant) || !Tenants.isValid(tenant)) {
            throw new PoisonMessageException("message lacks \"tenant\" (a string of " + Tenants.RULE + ")");
        }
        Object data = doc.getOrDefault("data", Map.of());
        if (!(data instanceof Map)) {
            throw new PoisonMessageException("\"data\" must be a JSON object");
        }
        Object idValue = doc.get("id");
        String id;
        if (idValue == null) {
            id = newId.get();
        } else if (idValue instanceof String s && EVENT_ID.matcher(s).matches()) {
            id = s;
        } else {
            throw new PoisonMessageException("\"id\" must be 1-128 characters of A-Z a-z 0-9 _ . : -");
        }
        Instant timestamp = timestamp(doc.get("timestamp"), clock);
        @SuppressWarnings("unchecked")
        Map<String, Object> dataMap = (Map<String, Object>) data;
        return new Event(id, tenant, eventType, timestamp, dataMap);
    }

    private static Instant timestamp(Object value, Clock clock) throws PoisonMessageException {
        if (value == null) {
            return clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        throw new PoisonMessageException("\"timestamp\" must be an ISO-8601 date-time with offset");
    }
}
