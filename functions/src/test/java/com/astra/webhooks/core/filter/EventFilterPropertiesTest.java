package com.astra.webhooks.core.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.testing.JsonArbitraries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The filter language never throws while matching, whatever the envelope and the filter hold:
 * random filters built from the grammar with operands of every JSON type (so type mismatches
 * and missing paths are the common case), against random envelopes that share the same field
 * names (so paths often lead somewhere). Parsing a random JSON value either compiles or throws
 * {@link InvalidFilterException}, nothing else. The combinators keep their logic.
 */
class EventFilterPropertiesTest {

    private static final List<String> NAMES = List.of("status", "n", "tags", "0", "1", "run", "x");
    private static final List<String> OPS = List.of("$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte",
            "$exists", "$startsWith", "$not");

    @Property(tries = 1000)
    void matchingNeverThrows(@ForAll("filters") Map<String, Object> filter, @ForAll("envelopes") Map<String, Object> envelope) {
        EventFilter compiled;
        try {
            compiled = EventFilter.parse(filter, "filter");
        } catch (InvalidFilterException e) {
            Statistics.collect("refused: " + e.getMessage().substring(0, Math.min(25, e.getMessage().length())));
            return; // refused with a path: fine
        }
        Statistics.collect(compiled.matches(envelope) ? "compiled, matched" : "compiled, not matched"); // never throws
        Map<String, Object> negated = Map.of("$not", filter);
        if (depth(negated) <= RequestLimits.FILTER_DEPTH && compiled.text().length() < RequestLimits.FILTER_BYTES - 20) {
            assertEquals(!compiled.matches(envelope), EventFilter.parse(negated, "filter").matches(envelope));
        }
    }

    @Property(tries = 300)
    void combinatorsAreLogic(@ForAll("filters") Map<String, Object> a, @ForAll("filters") Map<String, Object> b,
            @ForAll("envelopes") Map<String, Object> envelope) {
        EventFilter fa;
        EventFilter fb;
        try {
            fa = EventFilter.parse(a, "filter");
            fb = EventFilter.parse(b, "filter");
        } catch (InvalidFilterException e) {
            return;
        }
        Map<String, Object> and = Map.of("$and", List.of(a, b));
        Map<String, Object> or = Map.of("$or", List.of(a, b));
        if (depth(and) > RequestLimits.FILTER_DEPTH || fa.text().length() + fb.text().length() > RequestLimits.FILTER_BYTES - 20) {
            return;
        }
        boolean ma = fa.matches(envelope);
        boolean mb = fb.matches(envelope);
        assertEquals(ma && mb, EventFilter.parse(and, "filter").matches(envelope));
        assertEquals(ma || mb, EventFilter.parse(or, "filter").matches(envelope));
    }

    @Property(tries = 300)
    void parsingAnyJsonCompilesOrNamesAPath(@ForAll("anyJson") Object value, @ForAll("envelopes") Map<String, Object> envelope) {
        try {
            EventFilter.parse(value, "filter").matches(envelope);
        } catch (InvalidFilterException e) {
            if (!e.path().startsWith("filter")) {
                throw new AssertionError("path " + e.path());
            }
        }
    }

    @Provide
    Arbitrary<Object> anyJson() {
        return Arbitraries.frequencyOf(Tuple.of(1, JsonArbitraries.values(4)),
                Tuple.of(3, filters().map(f -> (Object) f)));
    }

    @Provide
    Arbitrary<Map<String, Object>> envelopes() {
        return Combinators.combine(Arbitraries.strings().ofMaxLength(8), Arbitraries.of("agent.failed", "tool.executed"),
                data(3)).as((id, event, data) -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put("id", id);
                    m.put("event", event);
                    m.put("timestamp", "2026-12-07T02:00:00Z");
                    m.put("data", data);
                    return m;
                });
    }

    /** Data objects that reuse the filters' field names, with values of every type. */
    private static Arbitrary<Object> data(int depth) {
        Arbitrary<Object> leaf = Arbitraries.frequencyOf(Tuple.of(3, common()), Tuple.of(1, JsonArbitraries.values(1)));
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> data(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(2, leaf),
                Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) l)),
                Tuple.of(3, Arbitraries.maps(Arbitraries.of(NAMES), inner).ofMaxSize(5).map(m -> (Object) m)));
    }

    @Provide
    Arbitrary<Map<String, Object>> filters() {
        return document(2);
    }

    private static Arbitrary<Map<String, Object>> document(int depth) {
        Arbitrary<Map.Entry<String, Object>> entry = depth <= 0 ? fieldEntry()
                : Arbitraries.frequencyOf(Tuple.of(4, fieldEntry()), Tuple.of(1, combinatorEntry(depth)));
        return entry.list().ofMinSize(1).ofMaxSize(3).map(entries -> {
            Map<String, Object> m = new LinkedHashMap<>();
            entries.forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        });
    }

    private static Arbitrary<Map.Entry<String, Object>> combinatorEntry(int depth) {
        Arbitrary<Map<String, Object>> inner = Arbitraries.lazy(() -> document(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(2, inner.list().ofMinSize(1).ofMaxSize(3).map(l -> new java.util.AbstractMap.SimpleImmutableEntry<String, Object>("$and", (Object) new ArrayList<>(l)))),
                Tuple.of(2, inner.list().ofMinSize(1).ofMaxSize(3).map(l -> new java.util.AbstractMap.SimpleImmutableEntry<String, Object>("$or", (Object) new ArrayList<>(l)))),
                Tuple.of(2, inner.map(d -> new java.util.AbstractMap.SimpleImmutableEntry<String, Object>("$not", (Object) d))));
    }

    private static Arbitrary<Map.Entry<String, Object>> fieldEntry() {
        Arbitrary<String> path = Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(2).map(s -> "data." + String.join(".", s))),
                Tuple.of(10, Arbitraries.of("event", "id", "timestamp", "data")),
                Tuple.of(1, Arbitraries.of("", "run.status", "data..x", "$gt", "data.")));
        Arbitrary<Object> condition = Arbitraries.frequencyOf(
                Tuple.of(2, anyValue()),
                Tuple.of(5, operators()));
        return Combinators.combine(path, condition).as((p, c) -> new java.util.AbstractMap.SimpleImmutableEntry<String, Object>(p, c));
    }

    /** A few values that filters and envelopes share, so that equality and order often decide something. */
    private static Arbitrary<Object> common() {
        return Arbitraries.of("a", "ab", "b", "", 1, 2L, 2.0, -1.5, true, false).map(v -> (Object) v)
                .injectNull(0.1);
    }

    private static Arbitrary<Object> anyValue() {
        return Arbitraries.frequencyOf(Tuple.of(3, common()), Tuple.of(1, JsonArbitraries.values(2)));
    }

    /** Operator objects whose operands usually suit their operator, and now and then do not. */
    private static Arbitrary<Object> operators() {
        Arbitrary<Map.Entry<String, Object>> op = Arbitraries.of(OPS).flatMap(name -> {
            Arbitrary<Object> suited = switch (name) {
                case "$in", "$nin" -> anyValue().list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
                case "$exists" -> Arbitraries.of(true, false).map(b -> (Object) b);
                case "$startsWith" -> Arbitraries.of("", "a", "b", "x").map(v -> (Object) v);
                case "$not" -> Arbitraries.lazy(EventFilterPropertiesTest::operators);
                default -> anyValue();
            };
            return Arbitraries.frequencyOf(Tuple.of(6, suited), Tuple.of(1, JsonArbitraries.values(2)))
                    .map(v -> (Map.Entry<String, Object>) new java.util.AbstractMap.SimpleImmutableEntry<String, Object>(name, v));
        });
        return op.list().ofMinSize(1).ofMaxSize(2).map(entries -> {
            Map<String, Object> m = new LinkedHashMap<>();
            entries.forEach(e -> m.put(e.getKey(), e.getValue()));
            return (Object) m;
        });
    }

    private static int depth(Object value) {
        if (value instanceof Map<?, ?> m) {
            return 1 + m.values().stream().mapToInt(EventFilterPropertiesTest::depth).max().orElse(0);
        }
        if (value instanceof List<?> l) {
            return 1 + l.stream().mapToInt(EventFilterPropertiesTest::depth).max().orElse(0);
        }
        return 0;
    }
}
