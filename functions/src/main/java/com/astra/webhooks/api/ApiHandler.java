package com.astra.webhooks.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.astra.webhooks.auth.Caller;
import com.astra.webhooks.auth.KeySourceUnavailableException;
import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.auth.UnauthorizedException;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Text;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.store.StoreUnavailableException;
import com.astra.webhooks.webhook.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every API function does around its routes: map the event, check the token, find the
 * route, and turn every refusal into the contract's error shape. Nothing escapes as a 500 with
 * a stack trace; unexpected failures are logged here and answered with a bare 500.
 */
public abstract class ApiHandler implements RequestStreamHandler {

    /**
     * A cheap authenticated request for SnapStart priming (GET /event-types reads no data). The
     * token is minted with JWT_SECRET when there is one; without it the request exercises the
     * refusal path instead.
     */
    static ApiRequest primingRequest(Settings settings) {
        Map<String, String> headers = new HashMap<>();
        if (settings.jwtSecret() != null) {
            headers.put("authorization", "Bearer "
                    + TokenIssuer.issueHs256(settings.jwtSecret(), "snapstart-priming", Duration.ofMinutes(5)));
        }
        ApiRoute route = ApiRoute.LIST_EVENT_TYPES;
        return new ApiRequest(route.method(), route.path(), route.key(), Map.of(), Map.of(), headers, null);
    }

    /** A route's work, once the caller is known. */
    @FunctionalInterface
    protected interface Route {
        ApiResponse handle(ApiRequest request, String tenant);
    }

    /** A route that needs more of the caller than its tenant: its scope or webhooks. */
    @FunctionalInterface
    protected interface CallerRoute {
        ApiResponse handle(ApiRequest request, Caller caller);
    }

    /** What a 503 asks the caller to wait: throttling and DynamoDB's own 5xx pass in seconds. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final TokenVerifier tokens;

    protected ApiHandler(TokenVerifier tokens) {
        this.tokens = tokens;
    }

    /** This function's routes to their work. */
    protected abstract Map<ApiRoute, Route> routes();

    /** The work of routes that narrow what they show to the caller (see {@link RouteAccess}). */
    protected Map<ApiRoute, CallerRoute> callerRoutes() {
        return Map.of();
    }

    /** Every route this handler serves: exactly those {@link ApiRoute} gives its class (HandlersNeverFailPropertiesTest). */
    final Set<ApiRoute> served() {
        Set<ApiRoute> all = EnumSet.noneOf(ApiRoute.class);
        all.addAll(routes().keySet());
        all.addAll(callerRoutes().keySet());
        return all;
    }

    /** The payload v2.0 event in, the response out, both read and written by {@link ApiGatewayAdapter}. */
    @Override
    public final void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
        ApiResponse answer;
        try {
            answer = handle(ApiGatewayAdapter.toRequest(event), JsonLog.of(context));
        } catch (ApiException e) {
            answer = ErrorResponses.of(e);
        }
        ApiGatewayAdapter.write(answer, response);
    }

    final ApiResponse handle(ApiRequest request, JsonLog log) {
        try {
            ApiRoute key = ApiRoute.of(request.routeKey());
            Route route = key == null ? null : routes().get(key);
            CallerRoute callerRoute = key == null ? null : callerRoutes().get(key);
            if (route == null && callerRoute == null) {
                return unmatched(request);
            }
            Caller caller = tokens.callerOf(request.header("authorization"));
            RouteAccess.check(caller, request);
            return callerRoute != null ? callerRoute.handle(request, caller) : route.handle(request, caller.tenant());
        } catch (KeySourceUnavailableException e) {
            return ErrorResponses.of(503, "service_unavailable", "token signing keys are unavailable; try again",
                    List.of(), Map.of("retry-after", RETRY_AFTER_SECONDS));
        } catch (UnauthorizedException e) {
            return ErrorResponses.unauthorized(e.getMessage());
        } catch (ApiException e) {
            return ErrorResponses.of(e);
        } catch (ValidationException e) {
            return ErrorResponses.of(new ApiException(400, "validation_error", e.getMessage(), e.details()));
        } catch (InvalidCursorException e) {
            return ErrorResponses.of(ApiException.badRequest("invalid_cursor", e.getMessage()));
        } catch (StoreUnavailableException e) {
            log.warn("store unavailable").with("routeKey", request.routeKey()).with("status", 503)
                    .with("errorMessage", e.getMessage()).write();
            return ErrorResponses.of(503, "service_unavailable", "the service's storage is busy or unreachable; try again",
                    List.of(), Map.of("retry-after", RETRY_AFTER_SECONDS));
        } catch (RuntimeException e) {
            // The route, not the path or anything else from the request: those may carry what must not be logged.
            log.error("unhandled error").with("routeKey", request.routeKey()).with("status", 500).exception(e).write();
            return ErrorResponses.internalError();
        }
    }

    /** The $default route: 405 when the path exists with other methods, else 404. */
    private static ApiResponse unmatched(ApiRequest request) {
        List<String> allowed = ApiRoutes.methodsFor(request.path());
        if (allowed.isEmpty()) {
            return ErrorResponses.of(ApiException.notFound("no route for " + Text.printable(request.method()) + " "
                    + Text.printable(request.path())));
        }
        return ErrorResponses.of(405, "method_not_allowed",
                Text.printable(request.method()) + " is not allowed on " + Text.printable(request.path()) + "; use "
                        + String.join(", ", allowed),
                List.of(), Map.of("allow", String.join(", ", allowed)));
    }
}
