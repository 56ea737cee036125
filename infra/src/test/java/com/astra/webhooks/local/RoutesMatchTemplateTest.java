package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.local.TemplateModel.HttpRoute;
import com.astra.webhooks.api.ApiRoute;
import com.astra.webhooks.api.ApiRoutes;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every HttpApi event of the real template.yaml reaches its own handler through the runner's router,
 * and the template and openapi.yaml name exactly the routes of {@link ApiRoute}, each served by the
 * function it names.
 */
class RoutesMatchTemplateTest {

    static final TemplateModel TEMPLATE = TemplateModel.bundled();
    static final HttpApiRouter ROUTER = new HttpApiRouter(TEMPLATE.httpRoutes());

    @Test
    void everyRouteIsReachable() {
        List<HttpRoute> routes = TEMPLATE.httpRoutes().stream().filter(r -> !r.path().equals("$default")).toList();
        assertTrue(routes.size() >= 15, "routes in template: " + routes.size());
        for (HttpRoute route : routes) {
            String concrete = route.path().replaceAll("\\{[^}/]+}", "wh_01ABC");
            var match = ROUTER.match(route.method(), concrete).orElseThrow();
            assertEquals(route.routeKey(), match.route().routeKey(), concrete);
            assertEquals(route.handler(), match.route().handler(), concrete);
        }
    }

    @Test
    void theApiKnowsExactlyTheTemplatesRoutes() {
        // ApiRoutes tells a wrong method (405) from an unknown path (404); a route missing there answers 404.
        Set<String> template = TEMPLATE.httpRoutes().stream().filter(r -> !r.path().equals("$default"))
                .map(HttpRoute::routeKey).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(template, new TreeSet<>(ApiRoutes.ALL));
    }

    @Test
    void theTemplateSendsEachRouteToTheFunctionApiRouteNames() {
        // the handlers dispatch from ApiRoute; a route the template gives another function would answer 404 there
        Map<String, String> template = TEMPLATE.httpRoutes().stream().filter(r -> !r.path().equals("$default"))
                .collect(Collectors.toMap(HttpRoute::routeKey, r -> LambdaHandlers.className(r.handler()), (a, b) -> a + ", " + b,
                        TreeMap::new));
        Map<String, String> api = Arrays.stream(ApiRoute.values())
                .collect(Collectors.toMap(ApiRoute::key, r -> r.handler().getName(), (a, b) -> a + ", " + b, TreeMap::new));
        assertEquals(api, template);
    }

    @Test
    void openApiDocumentsExactlyTheApiRoutes() {
        assertEquals(new TreeSet<>(ApiRoutes.ALL), new TreeSet<>(OpenApiContract.get().routes()),
                "ApiRoute and openapi.yaml's operations differ");
    }

    @Test
    void literalSegmentsBeatParameters() {
        assertEquals("com.astra.webhooks.api.TestModeHandler", handlerClass("GET", "/webhooks/test-mode"));
        assertEquals("com.astra.webhooks.api.TestModeHandler", handlerClass("POST", "/webhooks/test-mode/enable"));
        assertEquals("com.astra.webhooks.api.TestModeHandler", handlerClass("DELETE", "/webhooks/test-mode/log"));
        assertEquals("GET /webhooks/{id}", ROUTER.match("GET", "/webhooks/wh_1").orElseThrow().route().routeKey());
        assertEquals("POST /webhooks/{id}/test", ROUTER.match("POST", "/webhooks/wh_1/test").orElseThrow().route().routeKey());
        assertEquals("com.astra.webhooks.api.InspectorHandler", handlerClass("GET", "/webhook-inspector/dispatch_1"));
    }

    @Test
    void aLiteralWithoutThatMethodFallsBackToTheParameterRouteLikeApiGateway() {
        var match = ROUTER.match("DELETE", "/webhooks/test-mode").orElseThrow();
        assertEquals("DELETE /webhooks/{id}", match.route().routeKey());
        assertEquals(Map.of("id", "test-mode"), match.pathParameters());
    }

    @Test
    void pathParametersAreDecoded() {
        var match = ROUTER.match("GET", "/webhooks/a%20b+c/deliveries").orElseThrow();
        assertEquals(Map.of("id", "a b+c"), match.pathParameters());
    }

    @Test
    void everythingElseGoesToDefault() {
        for (String[] request : new String[][] {
                {"GET", "/nope"}, {"PATCH", "/webhooks"}, {"PUT", "/webhooks/test-mode/log"}, {"GET", "/webhooks/a/b/c"},
                {"GET", "/"}, {"POST", "/event-types"}, {"GET", "/webhooks/"}}) {
            var match = ROUTER.match(request[0], request[1]).orElseThrow();
            assertEquals("$default", match.route().routeKey(), String.join(" ", request));
            assertEquals("com.astra.webhooks.api.WebhooksHandler", LambdaHandlers.className(match.route().handler()));
            assertTrue(match.pathParameters().isEmpty());
        }
    }

    @Test
    void withoutDefaultRouteNothingMatches() {
        HttpApiRouter bare = new HttpApiRouter(List.of(new HttpRoute("F", "x.Y::handleRequest", "GET", "/a")));
        assertFalse(bare.match("GET", "/b").isPresent());
        assertTrue(bare.match("GET", "/a").isPresent());
    }

    private static String handlerClass(String method, String path) {
        return LambdaHandlers.className(ROUTER.match(method, path).orElseThrow().route().handler());
    }
}
