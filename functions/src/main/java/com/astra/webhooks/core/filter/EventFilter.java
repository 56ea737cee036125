package com.astra.webhooks.core.filter;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.RequestLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A webhook's payload filter: a JSON document matched against each event envelope
 * ({@code {"id", "event", "timestamp", "data"}}) before anything is sent or written for that
 * webhook. Parsed and checked once ({@link #parse}); {@link #matches} then walks the compiled
 * {@link FilterNode} tree, never the JSON. See docs/filters.md for the language.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class EventFilter {

    private final FilterNode root;
    private final Map<String, Object> document;
    private final String text;

    private EventFilter(FilterNode root, Map<String, Object> document, String text) {
        this.root = root;
        this.document = document;
        this.text = text;
    }

    /**
     * The compiled filter of {@code value} (a parsed JSON value), named {@code field} in messages.
     *
     * @throws InvalidFilterException naming the path of the first broken rule
     */
    public static EventFilter parse(Object value, String field) {
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidFilterException(field, "must be an object of conditions, or null for no filter");
        }
        String text;
        try {
            text = Json.write(value);
        } catch (RuntimeException e) {
            throw new InvalidFilterException(field, "must be JSON text (no lone surrogates)");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > RequestLimits.FILTER_BYTES) {
            throw new InvalidFilterException(field, "must be at most " + RequestLimits.FILTER_BYTES + " bytes as compact JSON, got " + bytes);
        }
        tooDeep(value, field, 1);
        FilterNode root = FilterParser.document(value, field);
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) value;
        return new EventFilter(root, document, text);
    }

    /** A filter as stored ({@link #text}); it was checked when it was stored. */
    public static EventFilter fromText(String text) {
        try {
            return parse(Json.parse(text), "filter");
        } catch (IOException e) {
            throw new IllegalStateException("a stored filter is not JSON", e);
        }
    }

    /** True when the envelope passes. Never throws, whatever the envelope holds. */
    public boolean matches(Map<String, Object> envelope) {
        return root.test(envelope);
    }

    /** The document as the client sent it, for showing it back. */
    public Map<String, Object> document() {
        return document;
    }

    /** The document as compact JSON: how it is stored. */
    public String text() {
        return text;
    }

    /** How many leaf conditions it has. */
    public int clauses() {
        return root.clauses();
    }

    /** Throws naming the first object or list below the deepest allowed level. */
    private static void tooDeep(Object value, String at, int depth) {
        if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
            return;
        }
        if (depth > RequestLimits.FILTER_DEPTH) {
            throw new InvalidFilterException(at, "is nested too deep: a filter has at most " + RequestLimits.FILTER_DEPTH
                    + " levels of objects and lists");
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                tooDeep(e.getValue(), at + "." + FilterParser.printableKey((String) e.getKey()), depth + 1);
            }
        } else {
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                tooDeep(list.get(i), at + "[" + i + "]", depth + 1);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventFilter other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
