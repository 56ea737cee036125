package com.astra.webhooks.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The routes of {@link ApiRoute} as the fallback route reads them: which methods a concrete path
 * has, to tell a wrong method (405) from an unknown path (404).
 */
public final class ApiRoutes {
    private ApiRoutes() {}

    /** Every route key, in {@link ApiRoute}'s order. */
    public static final List<String> ALL = Arrays.stream(ApiRoute.values()).map(ApiRoute::key).toList();

    /** The methods allowed on a concrete path, judged the way API Gateway matches (see {@link RoutePath}). */
    static List<String> methodsFor(String path) {
        int[] best = null;
        List<String> methods = new ArrayList<>();
        for (ApiRoute route : ApiRoute.values()) {
            var binding = RoutePath.bind(route.path(), path);
            if (binding.isEmpty()) {
                continue;
            }
            int[] rank = binding.get().specificity();
            int order = best == null ? 1 : RoutePath.moreSpecific(rank, best);
            if (order > 0) {
                best = rank;
                methods.clear();
            }
            if (order >= 0) {
                methods.add(route.method());
            }
        }
        return List.copyOf(methods);
    }
}
