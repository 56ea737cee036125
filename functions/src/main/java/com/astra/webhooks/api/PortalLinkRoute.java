package com.astra.webhooks.api;

import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.auth.Caller;
import com.astra.webhooks.auth.PortalLinks;
import com.astra.webhooks.core.Text;
import com.astra.webhooks.webhook.ValidationException;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /portal-links}: a console link for the caller's own tenant, as narrow as asked and
 * never wider than the caller (DESIGN.md "Portal links and the console").
 */
final class PortalLinkRoute implements ApiHandler.CallerRoute {

    private static final Set<String> FIELDS = Set.of("scope", "ttlSeconds", "webhookIds");
    /** What a Host header may hold (a name or address, a port); anything else makes a relative link. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    private final PortalLinks links;
    private final WebhookService webhooks;

    PortalLinkRoute(PortalLinks links, WebhookService webhooks) {
        this.links = links;
        this.webhooks = webhooks;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Caller caller) {
        Map<String, Object> body = RequestBodies.jsonObject(request);
        List<Map<String, Object>> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                problems.add(WebhookValidator.problem(Text.printable(field), "unknown field; allowed: scope, ttlSeconds, webhookIds"));
            }
        }
        Caller.Scope scope = body.get("scope") instanceof String s ? Caller.Scope.of(s) : null;
        if (scope == null) {
            problems.add(WebhookValidator.problem("scope", "must be \"read\" or \"manage\""));
        }
        Duration ttl = ttl(body.get("ttlSeconds"), body.containsKey("ttlSeconds"), problems);
        Set<String> ids = webhookIds(body.get("webhookIds"), body.containsKey("webhookIds"), problems);
        if (!problems.isEmpty()) {
            throw new ValidationException(WebhookValidator.summary(problems), problems);
        }
        if (ids != null) {
            for (String id : ids) {
                // another tenant's webhook is as unknown as a made-up one
                if (!caller.sees(id) || webhooks.get(caller.tenant(), id).isEmpty()) {
                    throw caller.sees(id) ? new ValidationException("webhookIds has no webhook " + id,
                            List.of(WebhookValidator.problem("webhookIds", "no webhook with id " + id)))
                            : RouteAccess.forbidden("this token may only create links for its own webhooks");
                }
            }
        }
        PortalLinks.Link link;
        try {
            link = links.mint(caller, scope, ttl, ids);
        } catch (PortalLinks.WideningException e) {
            throw RouteAccess.forbidden(e.getMessage());
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("url", consoleUrl(request) + "#token=" + link.token());
        v.put("token", link.token());
        v.put("expiresAt", Timestamps.format(link.expiresAt()));
        v.put("scope", scope.wire());
        v.put("webhookIds", ids == null ? null : List.copyOf(ids));
        return ApiResponse.json(201, v);
    }

    private static Duration ttl(Object value, boolean present, List<Map<String, Object>> problems) {
        if (!present) {
            return RequestLimits.PORTAL_LINK_TTL_DEFAULT;
        }
        long min = RequestLimits.PORTAL_LINK_TTL_MIN.toSeconds();
        long max = RequestLimits.PORTAL_LINK_TTL_MAX.toSeconds();
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= min
                && n.longValue() <= max) {
            return Duration.ofSeconds(n.longValue());
        }
        problems.add(WebhookValidator.problem("ttlSeconds", "must be a whole number of seconds from " + min + " to " + max));
        return RequestLimits.PORTAL_LINK_TTL_DEFAULT;
    }

    private static Set<String> webhookIds(Object value, boolean present, List<Map<String, Object>> problems) {
        if (!present || value == null) {
            return null;
        }
        String rule = "must be a list of 1 to " + RequestLimits.PORTAL_LINK_WEBHOOKS + " distinct webhook ids";
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > RequestLimits.PORTAL_LINK_WEBHOOKS) {
            problems.add(WebhookValidator.problem("webhookIds", rule));
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s) || !s.matches("wh_[0-9a-z]{26}") || !ids.add(s)) {
                problems.add(WebhookValidator.problem("webhookIds", rule));
                return null;
            }
        }
        return ids;
    }

    /** The console on the host the request came to, as API Gateway and the local runner name it. */
    private static String consoleUrl(ApiRequest request) {
        String host = request.header("host");
        if (host == null || !HOST.matcher(host).matches()) {
            return "/console";
        }
        String proto = request.header("x-forwarded-proto");
        String scheme = "http".equals(proto) ? "http" : "https";
        return scheme + "://" + host + "/console";
    }
}
