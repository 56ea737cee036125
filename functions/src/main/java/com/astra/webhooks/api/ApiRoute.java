package com.astra.webhooks.api;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every route of the HTTP API, each with the function that serves it: the one list. The handlers
 * dispatch on these constants (HandlersNeverFailPropertiesTest: each serves exactly its own), the 404/405
 * fallback matches paths against them ({@link ApiRoutes}), and RoutesMatchTemplateTest holds
 * template.yaml's HttpApi events and openapi.yaml's operations to exactly this list. The names
 * are the template's event names.
 */
public enum ApiRoute {
    CREATE_WEBHOOK("POST /webhooks", WebhooksHandler.class),
    LIST_WEBHOOKS("GET /webhooks", WebhooksHandler.class),
    GET_WEBHOOK("GET /webhooks/{id}", WebhooksHandler.class),
    UPDATE_WEBHOOK("PUT /webhooks/{id}", WebhooksHandler.class),
    DELETE_WEBHOOK("DELETE /webhooks/{id}", WebhooksHandler.class),
    LIST_DELIVERIES("GET /webhooks/{id}/deliveries", WebhooksHandler.class),
    WEBHOOK_STATS("GET /webhooks/{id}/stats", WebhooksHandler.class),
    SEND_TEST("POST /webhooks/{id}/test", WebhooksHandler.class),
    ROTATE_SECRET("POST /webhooks/{id}/rotate-secret", WebhooksHandler.class),
    LIST_SIGNING_KEYS("GET /webhooks/{id}/signing-keys", WebhooksHandler.class),
    RECOVER_WEBHOOK("POST /webhooks/{id}/recover", WebhooksHandler.class),
    /** Served with the writes, not by the read-only inspector: a resend writes a dispatch. */
    RESEND_DISPATCH("POST /webhook-inspector/{id}/resend", WebhooksHandler.class),
    LIST_EVENT_TYPES("GET /event-types", WebhooksHandler.class),
    CREATE_PORTAL_LINK("POST /portal-links", WebhooksHandler.class),
    ENABLE_TEST_MODE("POST /webhooks/test-mode/enable", TestModeHandler.class),
    DISABLE_TEST_MODE("POST /webhooks/test-mode/disable", TestModeHandler.class),
    GET_TEST_MODE("GET /webhooks/test-mode", TestModeHandler.class),
    LIST_TEST_MODE_LOG("GET /webhooks/test-mode/log", TestModeHandler.class),
    CLEAR_TEST_MODE_LOG("DELETE /webhooks/test-mode/log", TestModeHandler.class),
    LIST_DISPATCHES("GET /webhook-inspector", InspectorHandler.class),
    GET_DISPATCH("GET /webhook-inspector/{id}", InspectorHandler.class),
    CONSOLE("GET /console", DocsHandler.class),
    OPEN_API("GET /openapi.json", DocsHandler.class);

    private static final Map<String, ApiRoute> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ApiRoute::key, Function.identity()));

    private final String key;
    private final Class<?> handler;

    ApiRoute(String key, Class<?> handler) {
        this.key = key;
        this.handler = handler;
    }

    /** "METHOD /path", as API Gateway spells a route key. */
    public String key() {
        return key;
    }

    public String method() {
        return key.substring(0, key.indexOf(' '));
    }

    public String path() {
        return key.substring(key.indexOf(' ') + 1);
    }

    /** The Lambda handler class that serves this route (the template's {@code Handler}). */
    public Class<?> handler() {
        return handler;
    }

    /** The route of an API Gateway route key; null for {@code $default} and anything unknown. */
    public static ApiRoute of(String routeKey) {
        return routeKey == null ? null : BY_KEY.get(routeKey);
    }
}
