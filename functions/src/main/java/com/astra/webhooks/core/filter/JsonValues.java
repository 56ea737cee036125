package com.astra.webhooks.core.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Equality and order between JSON values as the JSON parser gives them (String, Number of
 * several classes, Boolean, null, List, Map). Numbers compare by value whatever their class
 * ({@code 1 == 1.0}); strings by UTF-16 code units; nothing else has an order. Comparing values
 * of different kinds is never an error: they are simply not equal and not ordered.
 */
final class JsonValues {
    private JsonValues() {}

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            Integer c = compareNumbers(x, y);
            return c != null && c == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof String || a instanceof Boolean) {
            return a.equals(b);
        }
        return false;
    }

    /** Negative, zero or positive as for {@link Comparable}; null when the two have no order. */
    static Integer compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        return null;
    }

    /** Null when either is NaN (which JSON cannot carry, but a caller's map might). */
    private static Integer compareNumbers(Number x, Number y) {
        if (integral(x) && integral(y)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        if (floating(x) && floating(y)) {
            double a = x.doubleValue();
            double b = y.doubleValue();
            return Double.isNaN(a) || Double.isNaN(b) ? null : Double.compare(a == 0.0 ? 0.0 : a, b == 0.0 ? 0.0 : b);
        }
        BigDecimal a = exact(x);
        BigDecimal b = exact(y);
        if (a == null || b == null) {
            // an infinity against a finite number: its sign decides
            double da = x.doubleValue();
            double db = y.doubleValue();
            return Double.isNaN(da) || Double.isNaN(db) ? null : Double.compare(da, db);
        }
        return a.compareTo(b);
    }

    private static boolean integral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }

    private static boolean floating(Number n) {
        return n instanceof Double || n instanceof Float;
    }

    /** The exact value, or null for NaN and the infinities. */
    private static BigDecimal exact(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (integral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? new BigDecimal(d) : null;
    }
}
