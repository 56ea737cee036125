package com.astra.webhooks.core.filter;

import static com.astra.webhooks.core.Text.printable;

import com.astra.webhooks.core.filter.FilterNode.All;
import com.astra.webhooks.core.filter.FilterNode.Any;
import com.astra.webhooks.core.filter.FilterNode.Exists;
import com.astra.webhooks.core.filter.FilterNode.In;
import com.astra.webhooks.core.filter.FilterNode.Not;
import com.astra.webhooks.core.filter.FilterNode.Range;
import com.astra.webhooks.core.filter.FilterNode.StartsWith;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a filter document into {@link FilterNode}s, MongoDB-style: the keys of an object are
 * ANDed; a key is a dotted field path or one of {@code $and $or $not}; a field's value is either
 * an object of operators ({@code {"$gte": 3, "$lt": 9}}, ANDed) or a plain value meaning
 * equality. The first broken rule is reported with the path to it.
 */
final class FilterParser {

    static final String OPERATORS = "$eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists, $startsWith, $not";

    private FilterParser() {}

    /** A filter document (the filter itself, or an element of $and/$or, or the operand of $not). */
    static FilterNode document(Object value, String at) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidFilterException(at, "must be an object of conditions");
        }
        if (map.isEmpty()) {
            throw new InvalidFilterException(at, "must hold at least one condition");
        }
        List<FilterNode> all = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey(); // JSON object keys are strings
            String here = at + "." + key;
            switch (key) {
                case "$and" -> all.add(new All(documents(e.getValue(), here)));
                case "$or" -> all.add(new Any(documents(e.getValue(), here)));
                case "$not" -> all.add(new Not(document(e.getValue(), here)));
                default -> {
                    if (key.startsWith("$")) {
                        throw new InvalidFilterException(at + "." + printableKey(key), "is not a combinator; use $and, $or, "
                                + "$not or a field path such as data.run.status (operators go inside a field: "
                                + "{\"data.n\": {\"$gt\": 1}})");
                    }
                    all.add(field(key, e.getValue(), at));
                }
            }
        }
        return all.size() == 1 ? all.get(0) : new All(List.copyOf(all));
    }

    private static List<FilterNode> documents(Object value, String at) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidFilterException(at, "must be a non-empty list of conditions");
        }
        List<FilterNode> nodes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            nodes.add(document(list.get(i), at + "[" + i + "]"));
        }
        return List.copyOf(nodes);
    }

    private static FilterNode field(String key, Object value, String at) {
        String here = at + "." + printableKey(key);
        FieldPath path = FieldPath.parse(key);
        if (path == null) {
            throw new InvalidFilterException(here, "is not a field path: dot-separated names that start with "
                    + "id, event, timestamp or data (the envelope's fields), e.g. data.run.status");
        }
        if (value instanceof Map<?, ?> map && hasOperator(map)) {
            return operators(path, map, here);
        }
        return new In(path, java.util.Collections.singletonList(literal(value, here)));
    }

    /** An object of operators on one path, ANDed. */
    private static FilterNode operators(FieldPath path, Map<?, ?> map, String at) {
        List<FilterNode> all = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String op = (String) e.getKey();
            Object operand = e.getValue();
            String here = at + "." + printableKey(op);
            all.add(switch (op) {
                case "$eq" -> new In(path, java.util.Collections.singletonList(literal(operand, here)));
                case "$ne" -> new Not(new In(path, java.util.Collections.singletonList(literal(operand, here))));
                case "$in" -> new In(path, list(operand, here));
                case "$nin" -> new Not(new In(path, list(operand, here)));
                case "$gt" -> new Range(path, Range.Order.GT, bound(operand, here));
                case "$gte" -> new Range(path, Range.Order.GTE, bound(operand, here));
                case "$lt" -> new Range(path, Range.Order.LT, bound(operand, here));
                case "$lte" -> new Range(path, Range.Order.LTE, bound(operand, here));
                case "$exists" -> {
                    if (!(operand instanceof Boolean b)) {
                        throw new InvalidFilterException(here, "must be true or false");
                    }
                    yield new Exists(path, b);
                }
                case "$startsWith" -> {
                    if (!(operand instanceof String s)) {
                        throw new InvalidFilterException(here, "must be a string");
                    }
                    yield new StartsWith(path, s);
                }
                case "$not" -> {
                    if (!(operand instanceof Map<?, ?> inner) || inner.isEmpty() || !onlyOperators(inner)) {
                        throw new InvalidFilterException(here, "must be an object of operators, e.g. {\"$in\": [1, 2]}");
                    }
                    yield new Not(operators(path, inner, here));
                }
                default -> {
                    if (!op.startsWith("$")) {
                        throw new InvalidFilterException(here, "mixes a plain key with operators; to compare with an "
                                + "object use {\"$eq\": {...}}");
                    }
                    throw new InvalidFilterException(here, "is not an operator; use one of " + OPERATORS);
                }
            });
        }
        return all.size() == 1 ? all.get(0) : new All(List.copyOf(all));
    }

    private static boolean hasOperator(Map<?, ?> map) {
        return map.keySet().stream().anyMatch(k -> ((String) k).startsWith("$"));
    }

    private static boolean onlyOperators(Map<?, ?> map) {
        return map.keySet().stream().allMatch(k -> ((String) k).startsWith("$"));
    }

    private static List<Object> list(Object operand, String at) {
        if (!(operand instanceof List<?> list)) {
            throw new InvalidFilterException(at, "must be a list of values");
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            values.add(literal(list.get(i), at + "[" + i + "]"));
        }
        return java.util.Collections.unmodifiableList(values); // List.copyOf refuses the null a list may hold
    }

    private static Object bound(Object operand, String at) {
        if (operand instanceof String) {
            return operand;
        }
        if (operand instanceof Number) {
            return literal(operand, at);
        }
        throw new InvalidFilterException(at, "must be a number or a string (only those have an order)");
    }

    /** A value to compare with: any JSON value, but a number must be finite. */
    private static Object literal(Object value, String at) {
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            throw new InvalidFilterException(at, "must be a finite number");
        }
        return value;
    }

    /** A key as it may appear in a message: cut and free of control characters, unquoted when plain. */
    static String printableKey(String key) {
        String p = printable(key);
        String bare = p.substring(1, p.length() - 1);
        return bare.equals(key) ? key : p;
    }
}
