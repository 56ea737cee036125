package com.astra.webhooks.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one reading of an API Gateway route path ({@code /webhooks/{id}}, {@code /files/{path+}})
 * against a request path, shared by the API's 404/405 fallback and the local runner's router so
 * the two cannot disagree. Segment by segment, a literal beats a {@code {param}}, which beats a
 * greedy {@code {param+}}; only the leading slash is dropped, so {@code /webhooks/} is not
 * {@code /webhooks}.
 */
public final class RoutePath {
    private RoutePath() {}

    /**
     * @param parameters  the path parameters, percent-decoded (a '+' stays a plus)
     * @param specificity per request segment: 2 literal, 1 parameter, 0 greedy; compare with
     *                    {@link #moreSpecific} to pick the route API Gateway would pick
     */
    public record Binding(Map<String, String> parameters, int[] specificity) {}

    public static Optional<Binding> bind(String pattern, String path) {
        String[] wanted = segments(pattern);
        String[] actual = segments(path);
        int[] rank = new int[actual.length];
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < wanted.length; i++) {
            String p = wanted[i];
            if (p.startsWith("{") && p.endsWith("+}")) {
                if (i >= actual.length) {
                    return Optional.empty();
                }
                params.put(p.substring(1, p.length() - 2), decode(String.join("/", List.of(actual).subList(i, actual.length))));
                return Optional.of(new Binding(params, rank));
            }
            if (i >= actual.length) {
                return Optional.empty();
            }
            if (p.startsWith("{") && p.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(p.substring(1, p.length() - 1), decode(actual[i]));
                rank[i] = 1;
            } else if (p.equals(actual[i])) {
                rank[i] = 2;
            } else {
                return Optional.empty();
            }
        }
        return wanted.length == actual.length ? Optional.of(new Binding(params, rank)) : Optional.empty();
    }

    /** Positive when {@code a} is the more specific match of the same request path. */
    public static int moreSpecific(int[] a, int[] b) {
        return Arrays.compare(a, b);
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.split("/", -1);
    }

    /**
     * Percent-decoding only: a '+' in a path is a plus, not a space. A broken escape ({@code %},
     * {@code %zz}) is kept as written: matching must still answer (404/405), and no handler
     * accepts such an id anyway.
     */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
