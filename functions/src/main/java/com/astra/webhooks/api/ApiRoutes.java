package com.astra.webhooks.api;

import java.util.List;

/**
 * Every route of the HTTP API ("METHOD /path" as API Gateway spells route keys). template.yaml
 * is the source of truth for which function serves which; this list lets the fallback route
 * tell a wrong method (405) from an unknown path (404). A test keeps the two in step.
 */
public final class ApiRoutes {
    private ApiRoutes() {}

    public static final List<String> ALL = List.of(
            "POST /webhooks",
            "GET /webhooks",
            "GET /webhooks/{id}",
            "PUT /webhooks/{id}",
            "DELETE /webhooks/{id}",
            "GET /webhooks/{id}/deliveries",
            "GET /webhooks/{id}/stats",
            "POST /webhooks/{id}/test",
            "POST /webhooks/{id}/rotate-secret",
            "GET /webhooks/{id}/signing-keys",
            "POST /webhooks/{id}/recover",
            "POST /webhooks/test-mode/enable",
            "POST /webhooks/test-mode/disable",
            "GET /webhooks/test-mode",
            "GET /webhooks/test-mode/log",
            "DELETE /webhooks/test-mode/log",
            "GET /webhook-inspector",
            "GET /webhook-inspector/{id}",
            "POST /webhook-inspector/{id}/resend",
            "GET /event-types",
            "POST /portal-links",
            "GET /console",
            "GET /openapi.json");

    /** The methods allowed on a concrete path, judged the way API Gateway matches (see {@link RoutePath}). */
    static List<String> methodsFor(String path) {
        int[] best = null;
        List<String> methods = new java.util.ArrayList<>();
        for (String route : ALL) {
            String[] parts = route.split(" ", 2);
            var binding = RoutePath.bind(parts[1], path);
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
                methods.add(parts[0]);
            }
        }
        return List.copyOf(methods);
    }
}
