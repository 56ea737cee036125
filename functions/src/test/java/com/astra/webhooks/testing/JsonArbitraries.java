package com.astra.webhooks.testing;

import com.astra.webhooks.core.Json;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile JSON for property tests: values of every JSON type nested a few levels,
 * strings with control characters, lone surrogates, bidi overrides and URL-ish punctuation,
 * numbers at the edges, and objects made of random subsets of a real body's fields with
 * random-typed values.
 */
public final class JsonArbitraries {
    private JsonArbitraries() {}

    private static final String ODD_CHARS = "\u0000\u0001\u0007\t\n\r\u001b\u001f \u007f\u0085\u00a0\u00e9\u2028\u2029"
            + "\u202a\u202e\u2066\u2069\ufeff\ufffd\ud800\udbff\udc00\udfff\u3002\uff0e\u24db/\\#%?.:@[]{}\"'*,-_~=&+";

    /** Strings a client could send: plain, hostile, or near-valid values of the real fields. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(30)),
                Tuple.of(3, Arbitraries.strings().withChars(ODD_CHARS).withCharRange('a', 'z')
                        .withCharRange('0', '9').ofMaxLength(30)),
                Tuple.of(4, nearValid()),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(3000)));
    }

    /** Values shaped like the real ones, often valid, sometimes one character off. */
    public static Arbitrary<String> nearValid() {
        Arbitrary<String> base = Arbitraries.of(
                "https://example.com/hook", "http://127.0.0.1:9/x", "http://127.1/", "http://0x7f.0.0.1/",
                "http://2130706433/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[fd00::1]/",
                "http://0.0.0.0/", "http://169.254.169.254/", "http://localhost/", "https://93.184.216.34/",
                "ftp://example.com/", "javascript:alert(1)", "https://u:p@example.com/", "https://[::1/",
                "https://example.com:99999/", "//example.com", "*", "agent_completed", "tool.executed", "webhook.test",
                "memory.written", "t-1", "evt_01", "2024-01-01T00:00:00Z", "2024-13-45T99:99:99Z", "whsec_x",
                "wh_01hzzzzzzzzzzzzzzzzzzzzzzz", "dispatch_01hzzzzzzzzzzzzzzzzzzzzzzz", "true", "null", "{}", "[]");
        return Combinators.combine(base, Arbitraries.strings().withChars(ODD_CHARS).ofMaxLength(2),
                Arbitraries.integers().between(0, 3)).as((s, extra, where) -> switch (where) {
                    case 0 -> s;
                    case 1 -> s + extra;
                    case 2 -> extra + s;
                    default -> s.length() < 2 ? s + extra : s.substring(0, s.length() / 2) + extra + s.substring(s.length() / 2);
                });
    }

    public static Arbitrary<Object> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, strings().map(s -> (Object) s)),
                Tuple.of(2, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.doubles().map(d -> (Object) d)),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(),
                        BigInteger.TEN.pow(30)).map(b -> (Object) b)),
                Tuple.of(2, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(2, Arbitraries.just(null)));
    }

    /** Any JSON value nested up to {@code depth} levels. */
    public static Arbitrary<Object> values(int depth) {
        if (depth <= 0) {
            return scalars();
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> values(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(4, scalars()),
                Tuple.of(1, inner.list().ofMaxSize(6).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.maps(strings(), inner).ofMaxSize(6).map(m -> (Object) m)));
    }

    /**
     * Objects built from a random subset of {@code fields}, each with a value of a random type
     * (or, half the time, a near-valid one), plus now and then a field of nobody's.
     */
    public static Arbitrary<Map<String, Object>> bodiesWith(List<String> fields) {
        Arbitrary<Object> fieldValue = Arbitraries.frequencyOf(
                Tuple.of(3, values(2)),
                Tuple.of(3, nearValid().map(s -> (Object) s)),
                Tuple.of(2, nearValid().list().ofMaxSize(4).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.of("agent_completed", "tool.executed").list()
                        .ofMinSize(45).ofMaxSize(55).map(l -> (Object) l)));
        Arbitrary<Map<String, Object>> known = Arbitraries.subsetOf(fields).flatMap(subset -> {
            List<String> names = List.copyOf(subset);
            return fieldValue.list().ofSize(names.size()).map(vals -> {
                Map<String, Object> m = new HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    m.put(names.get(i), vals.get(i));
                }
                return m;
            });
        });
        return Combinators.combine(known, Arbitraries.maps(strings(), values(1)).ofMaxSize(2),
                Arbitraries.integers().between(0, 4)).as((m, extra, n) -> {
                    if (n == 0) {
                        m.putAll(extra);
                    }
                    return m;
                });
    }

    /**
     * Objects where each named field usually has a plausible value from its own generator and now and
     * then a random one, or is missing: these get past the first checks, so the later ones are exercised.
     */
    public static Arbitrary<Map<String, Object>> mostlyValid(Map<String, Arbitrary<Object>> fields) {
        List<String> names = List.copyOf(fields.keySet());
        List<Arbitrary<Object>> perField = names.stream().map(name -> Arbitraries.frequencyOf(
                Tuple.of(12, fields.get(name)),
                Tuple.of(1, values(2)),
                Tuple.of(1, Arbitraries.just((Object) MISSING)))).toList();
        return Combinators.combine(perField).as(vals -> {
            Map<String, Object> m = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (vals.get(i) != MISSING) {
                    m.put(names.get(i), vals.get(i));
                }
            }
            return m;
        });
    }

    private static final Object MISSING = new Object();

    /** Request body text: serialized values, bodies with real fields, and text that is not JSON at all. */
    public static Arbitrary<String> bodyTexts(List<String> fields) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, bodiesWith(fields).map(JsonArbitraries::write)),
                Tuple.of(2, values(3).map(JsonArbitraries::write)),
                Tuple.of(2, strings()),
                Tuple.of(2, bodiesWith(fields).map(JsonArbitraries::write)
                        .flatMap(JsonArbitraries::mangled)));
    }

    /** A JSON text cut, doubled or salted with a stray character. */
    static Arbitrary<String> mangled(String json) {
        return Combinators.combine(Arbitraries.integers().between(0, Math.max(0, json.length())),
                Arbitraries.strings().withChars("{}[]\",:\\\u0000\ud800 x").ofMinLength(1).ofMaxLength(2),
                Arbitraries.integers().between(0, 3)).as((at, s, how) -> switch (how) {
                    case 0 -> json.substring(0, at);
                    case 1 -> json + json;
                    case 2 -> json.substring(0, at) + s + json.substring(at);
                    default -> json + s;
                });
    }

    public static String write(Object value) {
        try {
            return Json.write(value);
        } catch (RuntimeException e) {
            return String.valueOf(value); // a lone surrogate jackson refuses to write is still a fine test input
        }
    }
}
