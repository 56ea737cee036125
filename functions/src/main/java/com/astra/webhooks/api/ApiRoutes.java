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
            "POST /webhooks/{id}/test",
            "POST /webhooks/{id}/rotate-secret",
            "POST /webhooks/test-mode/enable",
            "POST /webhooks/test-mode/disable",
            "GET /webhooks/test-mode",
            "GET /webhooks/test-mode/log",
            "DELETE /webhooks/test-mode/log",
            "GET /webhook-inspector",
            "GET /webhook-inspector/{id}",
            "GET /event-types");

    /** The methods allowed on a concrete path, judged the way API Gateway matches: literal segments first. */
    static List<String> methodsFor(String path) {
        String[] segments = trim(path).split("/", -1);
        int bestLiterals = -1;
        List<String> best = List.of();
        for (String route : ALL) {
            String[] parts = route.split(" ", 2);
            String[] pattern = trim(parts[1]).split("/", -1);
            int literals = matchLiterals(pattern, segments);
            if (literals < 0) {
                continue;
            }
            if (literals > bestLiterals) {
                bestLiterals = literals;
                best = new java.util.ArrayList<>();
            }
            if (literals == bestLiterals) {
                best.add(parts[0]);
            }
        }
        return best;
    }

    private static int matchLiterals(String[] pattern, String[] segments) {
        if (pattern.length != segments.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].startsWith("{")) {
                if (segments[i].isEmpty()) {
                    return -1;
                }
            } else if (pattern[i].equals(segments[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    /** Drops the leading slash only: API Gateway does not match "/webhooks/" to "/webhooks". */
    private static String trim(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
