package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Resend;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.dispatch.TestSend;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.TestLogClear;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.testing.InMemoryDispatchHistory;
import com.astra.webhooks.testing.InMemoryDispatchStore;
import com.astra.webhooks.testing.InMemoryEventStore;
import com.astra.webhooks.testing.InMemoryTestModeStore;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import com.astra.webhooks.testing.JsonArbitraries;
import com.astra.webhooks.testing.RecordingQueues;
import com.astra.webhooks.webhook.SecretRotation;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookStats;
import com.astra.webhooks.webhook.WebhookValidator;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Every API handler, built with in-memory stores, given random requests: random routes, ids,
 * queries, headers and bodies. None may answer a 5xx, and every refusal is in the error shape.
 * (The stores here cannot fail the way DynamoDB can; MalformedRequestsTest covers that through
 * the runner.)
 */
class HandlersNeverFailPropertiesTest {

    private static final String SECRET = "property-secret";
    private static final String TENANT = "t-prop";
    private static final String TOKEN = TokenIssuer.issueHs256(SECRET, TENANT, Duration.ofHours(1));

    private final InMemoryWebhookStore webhookStore = new InMemoryWebhookStore();
    private final InMemoryTestModeStore testModes = new InMemoryTestModeStore();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final InMemoryDispatchStore dispatches = new InMemoryDispatchStore();
    private final InMemoryDispatchHistory history = new InMemoryDispatchHistory(dispatches, webhookStore, events, testModes);

    private final List<ApiHandler> handlers;
    private final String existingId;
    private final Webhook existing;

    HandlersNeverFailPropertiesTest() {
        TokenVerifier tokens = new TokenVerifier(SECRET, null, null, null, null);
        testModes.set(TENANT, true, Instant.EPOCH); // intercept: a test send never leaves the process
        TargetGuard guard = new TargetGuard(false, false, host -> {
            throw new UnknownHostException(host);
        });
        EventTypeCatalog catalog = EventTypeCatalog.parse(null);
        Clock clock = Clock.systemUTC();
        WebhookService service = new WebhookService(webhookStore, new WebhookValidator(catalog, guard), clock);
        Sender sender = new Sender(new DeliveryClient(Duration.ofMillis(100), guard, Sender.USER_AGENT), new WebhookSigner(), clock);
        TestSend testSend = new TestSend(webhookStore, events, dispatches, testModes, () -> sender, clock, Duration.ofDays(1));
        handlers = List.of(
                new WebhooksHandler(tokens, service, history, testSend, catalog,
                        new SecretRotation(webhookStore, (tenant, id, expiresAt) -> {}, clock),
                        new WebhookStats(webhookStore, history, clock),
                        new Resend(webhookStore, history, dispatches, testModes, () -> sender),
                        new Recovery(webhookStore, dispatches, new RecordingQueues(), clock), clock),
                new TestModeHandler(tokens, testModes, history,
                        new TestLogClear(testModes, dispatches, new RecordingQueues()), clock),
                new InspectorHandler(tokens, history));
        existing = service.create(TENANT, Map.of("url", "https://93.184.216.34/hook", "events", "*"));
        existingId = existing.id();
    }

    @Provide
    Arbitrary<ApiRequest> requests() {
        List<String> routeKeys = new ArrayList<>(ApiRoutes.ALL);
        routeKeys.add("$default");
        Arbitrary<String> routeKey = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(routeKeys)),
                Tuple.of(1, JsonArbitraries.strings()));
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "BREW", "");
        Arbitrary<String> id = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just("existing")),
                Tuple.of(2, Arbitraries.just("wh_01hzzzzzzzzzzzzzzzzzzzzzzz")),
                Tuple.of(4, JsonArbitraries.strings()));
        Arbitrary<String> path = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(routeKeys).map(k -> k.contains(" ") ? k.split(" ", 2)[1] : "/")),
                Tuple.of(2, JsonArbitraries.strings().map(s -> "/webhooks/" + s)),
                Tuple.of(1, JsonArbitraries.strings()));
        Arbitrary<Map<String, String>> query = Arbitraries.maps(
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("limit", "cursor", "outcome", "eventType", "webhookId")),
                        Tuple.of(1, JsonArbitraries.strings())),
                JsonArbitraries.strings()).ofMaxSize(3);
        Arbitrary<String> authorization = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("Bearer " + TOKEN)),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, JsonArbitraries.strings().map(s -> "Bearer " + s)));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, JsonArbitraries.strings()));
        Arbitrary<String> body = Arbitraries.frequencyOf(
                Tuple.of(6, JsonArbitraries.bodyTexts(RequestParsingPropertiesTest.WEBHOOK_FIELDS)),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, Arbitraries.just("")));
        return Combinators.combine(routeKey, method, path, id, query, authorization, contentType, body)
                .as((rk, m, p, i, q, auth, ct, b) -> {
                    Map<String, String> headers = new HashMap<>();
                    if (auth != null) {
                        headers.put("authorization", auth);
                    }
                    if (ct != null) {
                        headers.put("content-type", ct);
                    }
                    String method2 = rk.contains(" ") && !rk.equals("$default") ? rk.split(" ", 2)[0] : m;
                    return new ApiRequest(method2, p, rk, Map.of("id", i), q, headers, b);
                });
    }

    /** The handlers dispatch from {@link ApiRoute}: each serves exactly the routes it names for its class. */
    @Example
    void everyHandlerServesExactlyTheRoutesApiRouteGivesIt() {
        for (ApiHandler handler : handlers) {
            Set<ApiRoute> own = EnumSet.noneOf(ApiRoute.class);
            for (ApiRoute route : ApiRoute.values()) {
                if (route.handler() == handler.getClass()) {
                    own.add(route);
                }
            }
            assertEquals(own, handler.served(), handler.getClass().getSimpleName());
        }
        for (ApiRoute route : EnumSet.of(ApiRoute.CONSOLE, ApiRoute.OPEN_API)) {
            assertEquals(DocsHandler.class, route.handler());
            assertEquals(200, new DocsHandler("<html></html>", "{}").handle(route.key()).status(), route.key());
        }
        assertEquals(404, new DocsHandler("<html></html>", "{}").handle(ApiRoute.LIST_WEBHOOKS.key()).status());
    }

    @Property(tries = 1000)
    void noRequestGetsA5xxAndEveryRefusalHasTheErrorShape(@ForAll("requests") ApiRequest generated,
            @ForAll("handlerIndex") int which) throws Exception {
        ApiRequest request = "existing".equals(generated.pathParameter("id"))
                ? new ApiRequest(generated.method(), generated.path(), generated.routeKey(), Map.of("id", existingId),
                        generated.queryParameters(), generated.headers(), generated.body())
                : generated;
        ApiResponse response = handlers.get(which).handle(request, new JsonLog((line, error) -> { }, null));
        assertTrue(response.status() < 500, response.status() + " " + response.body() + " for " + request);
        if (response.status() >= 400) {
            Map<String, Object> doc = Json.parseObject(response.body());
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) doc.get("error");
            assertTrue(error.get("code") instanceof String && error.get("message") instanceof String
                    && error.get("details") instanceof List, response.body());
            assertFalse(response.body().contains("Exception"), response.body());
        }
        if (response.body() != null && !response.body().isEmpty()) {
            assertTrue(RequestParsingPropertiesTest.wellFormed(response.body()), "responses are UTF-8 text");
        }
        if (webhookStore.get(TENANT, existingId).isEmpty()) {
            webhookStore.create(existing); // a valid DELETE went through; keep valid ids hitting
        }
    }

    @Provide
    Arbitrary<Integer> handlerIndex() {
        return Arbitraries.integers().between(0, 2);
    }
}
