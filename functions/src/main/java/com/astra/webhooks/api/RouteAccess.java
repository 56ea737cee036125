package com.astra.webhooks.api;

import com.astra.webhooks.auth.Caller;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a narrower token (a portal link) may do, checked once for every route before it runs:
 * a read-only one only GETs; one limited to some webhooks finds no other (404, as another
 * tenant's), and changes nothing tenant-wide. The routes themselves narrow their lists and
 * dispatch lookups to the caller's webhooks.
 */
final class RouteAccess {
    private RouteAccess() {}

    /** Writes that act on one webhook's own things and check that webhook themselves. */
    private static final Set<ApiRoute> OWN_WRITES = EnumSet.of(ApiRoute.RESEND_DISPATCH, ApiRoute.CREATE_PORTAL_LINK);

    static void check(Caller caller, ApiRequest request) {
        boolean read = "GET".equals(request.method());
        if (!read && !caller.mayWrite()) {
            throw forbidden("this token is read-only; " + request.method() + " needs a manage token");
        }
        if (!caller.restricted()) {
            return;
        }
        String path = request.routeKey().substring(request.routeKey().indexOf(' ') + 1);
        if (path.startsWith("/webhooks/{id}")) {
            if (!caller.sees(request.pathParameter("id"))) {
                throw WebhooksHandler.webhookNotFound(request);
            }
        } else if (!read && !OWN_WRITES.contains(ApiRoute.of(request.routeKey()))) {
            throw forbidden("this token is limited to some webhooks; it cannot change what the whole tenant shares");
        }
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, List.of());
    }
}
