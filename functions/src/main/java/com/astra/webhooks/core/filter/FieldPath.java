package com.astra.webhooks.core.filter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dotted path into the event envelope, such as {@code data.run.status} or {@code data.tools.0}.
 * A segment reads an object's member, or a list's element when it is a whole number; anything
 * else reads nothing. There is no implicit walk into every element of a list: that would make
 * the cost of one clause depend on the size of the event.
 */
record FieldPath(String text, List<String> segments) {

    /** The envelope's own fields: a path that starts anywhere else can never match. */
    static final Set<String> ROOTS = Set.of("id", "event", "timestamp", "data");

    /** What {@link #resolve} gives for a path that leads nowhere; distinct from a JSON null. */
    static final Object MISSING = new Object();

    /** The path, or null when {@code text} is not one (the parser says why). */
    static FieldPath parse(String text) {
        if (text.isEmpty() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
            return null;
        }
        List<String> segments = List.of(text.split("\\."));
        return ROOTS.contains(segments.get(0)) ? new FieldPath(text, segments) : null;
    }

    Object resolve(Map<String, Object> envelope) {
        Object at = envelope;
        for (String segment : segments) {
            if (at instanceof Map<?, ?> map) {
                Object next = map.get(segment);
                if (next == null && !map.containsKey(segment)) { // a second lookup only to tell null from absent
                    return MISSING;
                }
                at = next;
            } else if (at instanceof List<?> list) {
                int index = index(segment);
                if (index < 0 || index >= list.size()) {
                    return MISSING;
                }
                at = list.get(index);
            } else {
                return MISSING;
            }
        }
        return at;
    }

    /** The list index a segment names, or -1 when it names none (not digits, or too long). */
    private static int index(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return -1;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Integer.parseInt(segment);
    }
}
