package com.astra.webhooks.local;

import com.astra.webhooks.api.RoutePath;
import com.astra.webhooks.local.TemplateModel.HttpRoute;
import java.util.Arrays;
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
        record Candidate(HttpRoute route, Map<String, String> params, int[] rank) {}
        Optional<Candidate> best = routes.stream()
                .filter(r -> r.method().equals("ANY") || r.method().equalsIgnoreCase(method))
                .flatMap(r -> RoutePath.bind(r.path(), rawPath).stream().map(b -> {
                    int[] rank = Arrays.copyOf(b.specificity(), b.specificity().length + 1);
                    rank[rank.length - 1] = r.method().equals("ANY") ? 0 : 1;
                    return new Candidate(r, b.parameters(), rank);
                }))
                .max((a, b) -> RoutePath.moreSpecific(a.rank(), b.rank()));
        if (best.isPresent()) {
            return Optional.of(new Match(best.get().route(), best.get().params()));
        }
        return fallback.map(r -> new Match(r, Map.of()));
    }
}
