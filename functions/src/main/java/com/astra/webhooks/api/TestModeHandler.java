package com.astra.webhooks.api;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.astra.webhooks.auth.Caller;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.aws.SnapStartPriming;
import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.jobs.TestLogClear;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.TestModeStore.TestMode;
import com.astra.webhooks.wiring.Wiring;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-tenant test mode. The flag is read by the dispatcher with a strongly consistent read at
 * every batch, so once enable has answered, no later event of the tenant leaves the building.
 */
// names RequestStreamHandler again: AWS's SnapStart rules check only the classes that name it
public final class TestModeHandler extends ApiHandler implements RequestStreamHandler {

    private static final DispatchHistory.Filter INTERCEPTED =
            new DispatchHistory.Filter(null, null, Dispatch.Outcome.INTERCEPTED.wire());

    private final TestModeStore testModes;
    private final DispatchHistory dispatches;
    private final TestLogClear clears;
    private final Clock clock;
    private final Map<ApiRoute, Route> routes;
    /** Held so CRaC, which references resources weakly, keeps it. */
    SnapStartPriming priming;

    public TestModeHandler() {
        this(Wiring.fromEnvironment());
    }

    private TestModeHandler(Wiring wiring) {
        this(wiring.tokens(), wiring.testModeStore(), wiring.dispatchHistory(), wiring.testLogClear(), Clock.systemUTC());
        priming = SnapStartPriming.register(() -> {
            handle(primingRequest(wiring.settings()), JsonLog.of(null));
            testModes.get(SnapStartPriming.TENANT);
        });
    }

    TestModeHandler(TokenVerifier tokens, TestModeStore testModes, DispatchHistory dispatches, TestLogClear clears,
            Clock clock) {
        super(tokens);
        this.testModes = testModes;
        this.dispatches = dispatches;
        this.clears = clears;
        this.clock = clock;
        this.routes = Map.of(
                ApiRoute.ENABLE_TEST_MODE, (request, tenant) -> set(request, tenant, true),
                ApiRoute.DISABLE_TEST_MODE, (request, tenant) -> set(request, tenant, false),
                ApiRoute.GET_TEST_MODE, (request, tenant) -> ApiResponse.json(200, view(testModes.get(tenant))),
                ApiRoute.CLEAR_TEST_MODE_LOG, this::clear);
    }

    @Override
    protected Map<ApiRoute, Route> routes() {
        return routes;
    }

    @Override
    protected Map<ApiRoute, CallerRoute> callerRoutes() {
        return Map.of(ApiRoute.LIST_TEST_MODE_LOG, this::log);
    }

    private ApiResponse set(ApiRequest request, String tenant, boolean enabled) {
        RequestBodies.requireEmpty(request);
        return ApiResponse.json(200, view(testModes.set(tenant, enabled, clock.instant().truncatedTo(ChronoUnit.MILLIS))));
    }

    private ApiResponse log(ApiRequest request, Caller caller) {
        QueryParameters.only(request, Paging.PARAMETERS);
        var page = dispatches.list(caller.tenant(), INTERCEPTED.within(caller.webhookIds()), Paging.limit(request), Paging.cursor(request),
                DispatchPageSize.LIMIT);
        return ApiResponse.json(200, Views.list(page, Views::dispatch));
    }

    /** Gone from every list at once; the items go in bounded chunks, the rest in the background. */
    private ApiResponse clear(ApiRequest request, String tenant) {
        clears.start(tenant, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return ApiResponse.noContent();
    }

    private static Map<String, Object> view(TestMode mode) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("enabled", mode.enabled());
        v.put("updatedAt", Timestamps.format(mode.updatedAt()));
        return v;
    }
}
