package com.astra.webhooks.local;

import com.astra.webhooks.local.TemplateModel.HttpRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the route API Gateway would pick: the most specific path wins (a literal segment beats
 * a {@code {param}}, which beats a greedy {@code {param+}}), an exact method beats {@code ANY},
 * and whatever matches nothing goes to {@code $default}.
 */
public final class HttpApiRouter {

    public record Match(HttpRoute route, Map<String, String> pathParameters) {}

    private final List<HttpRoute> routes;
    private final Optional<HttpRoute> fallback;

    public HttpApiRouter(List<HttpRoute> routes) {
        this.routes = routes.stream().filter(r -> !"$default".equals(r.path())).toList();
        this.fallback = routes.stream().filter(r -> "$default".equals(r.path())).findFirst();
    }

    public List<HttpRoute> routes() {
        return routes;
    }

    /** Empty when nothing matches and the template has no {@code $default} route (API Gateway answers 404). */
    public Optional<Match> match(String method, String rawPath) {
        String[] segments = segments(rawPath);
        record Candidate(HttpRoute route, Map<String, String> params, int[] rank) {}
        Optional<Candidate> best = routes.stream()
                .filter(r -> r.method().equals("ANY") || r.method().equalsIgnoreCase(method))
                .map(r -> {
                    int[] rank = new int[segments.length + 1];
                    Map<String, String> params = bind(segments(r.path()), segments, rank);
                    rank[segments.length] = r.method().equals("ANY") ? 0 : 1;
                    return params == null ? null : new Candidate(r, params, rank);
                })
                .filter(c -> c != null)
                .max(Comparator.comparing(Candidate::rank, java.util.Arrays::compare));
        if (best.isPresent()) {
            return Optional.of(new Match(best.get().route(), best.get().params()));
        }
        return fallback.map(r -> new Match(r, Map.of()));
    }

    /** Binds a route's segments to the request's; null if they do not fit. rank[i]: 2 literal, 1 param, 0 greedy. */
    private static Map<String, String> bind(String[] pattern, String[] actual, int[] rank) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("+}")) {
                if (i >= actual.length) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 2), decode(String.join("/", List.of(actual).subList(i, actual.length))));
                return params;
            }
            if (i >= actual.length) {
                return null;
            }
            if (p.startsWith("{") && p.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), decode(actual[i]));
                rank[i] = 1;
            } else if (p.equals(actual[i])) {
                rank[i] = 2;
            } else {
                return null;
            }
        }
        return pattern.length == actual.length ? params : null;
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.split("/", -1);
    }

    /** Percent-decoding only: a '+' in a path is a plus, not a space. */
    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
