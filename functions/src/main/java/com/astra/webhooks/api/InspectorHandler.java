package com.astra.webhooks.api;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.astra.webhooks.auth.Caller;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.aws.SnapStartPriming;
import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.core.Text;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.OrderingKey;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.wiring.Wiring;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The dispatch inspector: the tenant's whole history, newest first, filterable, and one dispatch whole. */
// names RequestStreamHandler again: AWS's SnapStart rules check only the classes that name it
public final class InspectorHandler extends ApiHandler implements RequestStreamHandler {

    private static final Set<String> OUTCOMES = Set.of(Dispatch.Outcome.DELIVERED.wire(), Dispatch.Outcome.FAILED.wire(),
            Dispatch.Outcome.INTERCEPTED.wire());
    private static final List<String> PARAMETERS = List.of("limit", "cursor", "eventType", "webhookId", "outcome",
            "orderingKey");

    private final DispatchHistory dispatches;
    private final Map<ApiRoute, CallerRoute> routes;
    /** Held so CRaC, which references resources weakly, keeps it. */
    SnapStartPriming priming;

    public InspectorHandler() {
        this(Wiring.fromEnvironment());
    }

    private InspectorHandler(Wiring wiring) {
        this(wiring.tokens(), wiring.dispatchHistory());
        priming = SnapStartPriming.register(() -> {
            handle(primingRequest(wiring.settings()), JsonLog.of(null));
            dispatches.list(SnapStartPriming.TENANT, DispatchHistory.Filter.NONE, 1, null, DispatchPageSize.LIMIT);
        });
    }

    InspectorHandler(TokenVerifier tokens, DispatchHistory dispatches) {
        super(tokens);
        this.dispatches = dispatches;
        this.routes = Map.of(
                ApiRoute.LIST_DISPATCHES, this::list,
                ApiRoute.GET_DISPATCH, this::get);
    }

    @Override
    protected Map<ApiRoute, Route> routes() {
        return Map.of();
    }

    @Override
    protected Map<ApiRoute, CallerRoute> callerRoutes() {
        return routes;
    }

    private ApiResponse list(ApiRequest request, Caller caller) {
        QueryParameters.only(request, PARAMETERS);
        String outcome = filterValue(request, "outcome");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw ApiException.badRequest("validation_error", "outcome must be delivered, failed or intercepted");
        }
        String orderingKey = filterValue(request, "orderingKey");
        if (orderingKey != null && !OrderingKey.isValid(orderingKey)) {
            throw ApiException.badRequest("validation_error", "orderingKey must be " + OrderingKey.RULE);
        }
        var filter = new DispatchHistory.Filter(filterValue(request, "webhookId"), filterValue(request, "eventType"), outcome)
                .withOrderingKey(orderingKey)
                .within(caller.webhookIds());
        var page = dispatches.list(caller.tenant(), filter, Paging.limit(request), Paging.cursor(request),
                DispatchPageSize.LIMIT);
        return ApiResponse.json(200, Views.list(page, Views::dispatch));
    }

    private ApiResponse get(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        if (id == null || !id.matches("dispatch_[0-9a-z]{26}")) {
            throw ApiException.notFound("no dispatch with id " + Text.printable(id));
        }
        return dispatches.get(caller.tenant(), id)
                .filter(d -> caller.sees(d.webhookId()))
                .map(d -> ApiResponse.json(200, Views.dispatch(d)))
                .orElseThrow(() -> ApiException.notFound("no dispatch with id " + Text.printable(id)));
    }

    /** Filter values become parts of keys: bound their size and refuse control characters. */
    private static String filterValue(ApiRequest request, String name) {
        String value = request.query(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("validation_error", name + " must be at most 256 printable characters");
        }
        return value;
    }
}
