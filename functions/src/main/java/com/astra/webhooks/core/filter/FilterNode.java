package com.astra.webhooks.core.filter;

import java.util.List;
import java.util.Map;

/**
 * A compiled filter: a tree of these nodes, built once by {@link FilterParser} and evaluated
 * against each event envelope. Evaluation never throws: a value of the wrong kind, or a path
 * that leads nowhere, simply does not match.
 *
 * <p>When the value at a path is a list, {@code $eq}, {@code $in}, the order operators and
 * {@code $startsWith} match if the list itself or any of its elements does (as in MongoDB), so
 * {@code {"data.tags": "urgent"}} finds a tag. {@code $ne} and {@code $nin} are their exact
 * negations, so they also match when the path is missing.
 */
sealed interface FilterNode {

    boolean test(Map<String, Object> envelope);

    /** Leaf conditions, for the benchmark's and the docs' "clauses". */
    int clauses();

    /** Every child matches. */
    record All(List<FilterNode> children) implements FilterNode {
        @Override
        public boolean test(Map<String, Object> envelope) {
            for (FilterNode child : children) {
                if (!child.test(envelope)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int clauses() {
            return children.stream().mapToInt(FilterNode::clauses).sum();
        }
    }

    /** Some child matches. */
    record Any(List<FilterNode> children) implements FilterNode {
        @Override
        public boolean test(Map<String, Object> envelope) {
            for (FilterNode child : children) {
                if (child.test(envelope)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int clauses() {
            return children.stream().mapToInt(FilterNode::clauses).sum();
        }
    }

    record Not(FilterNode child) implements FilterNode {
        @Override
        public boolean test(Map<String, Object> envelope) {
            return !child.test(envelope);
        }

        @Override
        public int clauses() {
            return child.clauses();
        }
    }

    /** The path holds something, even a JSON null ({@code expected} true), or nothing at all. */
    record Exists(FieldPath path, boolean expected) implements FilterNode {
        @Override
        public boolean test(Map<String, Object> envelope) {
            return (path.resolve(envelope) != FieldPath.MISSING) == expected;
        }

        @Override
        public int clauses() {
            return 1;
        }
    }

    /** The value at the path equals one of {@code values}; a null among them also matches a missing path. */
    record In(FieldPath path, List<Object> values) implements FilterNode {
        @Override
        public boolean test(Map<String, Object> envelope) {
            Object actual = path.resolve(envelope);
            for (Object expected : values) {
                if (equals(actual, expected)) {
                    return true;
                }
            }
            return false;
        }

        static boolean equals(Object actual, Object expected) {
            if (actual == FieldPath.MISSING) {
                return expected == null;
            }
            if (JsonValues.equal(actual, expected)) {
                return true;
            }
            if (actual instanceof List<?> list) {
                for (Object element : list) {
                    if (JsonValues.equal(element, expected)) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public int clauses() {
            return 1;
        }
    }

    /** {@code $gt}, {@code $gte}, {@code $lt}, {@code $lte} against a number or a string. */
    record Range(FieldPath path, Order order, Object bound) implements FilterNode {
        enum Order {
            GT, GTE, LT, LTE;

            boolean holds(int comparison) {
                return switch (this) {
                    case GT -> comparison > 0;
                    case GTE -> comparison >= 0;
                    case LT -> comparison < 0;
                    case LTE -> comparison <= 0;
                };
            }
        }

        @Override
        public boolean test(Map<String, Object> envelope) {
            Object actual = path.resolve(envelope);
            if (holds(actual)) {
                return true;
            }
            if (actual instanceof List<?> list) {
                for (Object element : list) {
                    if (holds(element)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean holds(Object actual) {
            Integer c = JsonValues.compare(actual, bound);
            return c != null && order.holds(c);
        }

        @Override
        public int clauses() {
            return 1;
        }
    }

    record StartsWith(FieldPath path, String prefix) implements FilterNode {
        @Override
        public boolean test(Map<String, Object> envelope) {
            Object actual = path.resolve(envelope);
            if (actual instanceof String s) {
                return s.startsWith(prefix);
            }
            if (actual instanceof List<?> list) {
                for (Object element : list) {
                    if (element instanceof String s && s.startsWith(prefix)) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public int clauses() {
            return 1;
        }
    }
}
