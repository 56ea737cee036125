package com.astra.webhooks.api;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.astra.webhooks.auth.Caller;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.aws.SnapStartPriming;
import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.core.Text;
import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.dispatch.Resend;
import com.astra.webhooks.dispatch.TestSend;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.WebhookLimitReachedException;
import com.astra.webhooks.webhook.RecoverWindow;
import com.astra.webhooks.webhook.SecretRotation;
import com.astra.webhooks.webhook.SigningKeys;
import com.astra.webhooks.webhook.WebhookDisabledException;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookStats;
import com.astra.webhooks.wiring.Wiring;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook CRUD, secret rotation and signing keys, delivery history, test sends, resend and recover (the routes that
 * write), and the event type catalog; also the $default route (404/405).
 */
// names RequestStreamHandler again: AWS's SnapStart rules check only the classes that name it
public final class WebhooksHandler extends ApiHandler implements RequestStreamHandler {

    private final WebhookService webhooks;
    private final DispatchHistory dispatches;
    private final TestSend testSend;
    private final SecretRotation rotation;
    private final EventTypeCatalog catalog;
    private final WebhookStats stats;
    private final Resend resend;
    private final Recovery recovery;
    private final Clock clock;
    private final Map<ApiRoute, Route> routes;
    private final Map<ApiRoute, CallerRoute> callerRoutes;
    /** Held so CRaC, which references resources weakly, keeps it. */
    SnapStartPriming priming;

    public WebhooksHandler() {
        this(Wiring.fromEnvironment());
    }

    private WebhooksHandler(Wiring wiring) {
        this(wiring.tokens(), wiring.webhookService(), wiring.dispatchHistory(), wiring.testSend(), wiring.catalog(),
                wiring.secretRotation(), wiring.webhookStats(), wiring.resend(), wiring.recovery(), wiring.clock());
        priming = SnapStartPriming.register(() -> {
            handle(primingRequest(wiring.settings()), JsonLog.of(null));
            webhooks.get(SnapStartPriming.TENANT, "wh_00000000000000000000000000");
            wiring.apiSender(); // built on the first test send otherwise; the snapshot holds it ready
            Ed25519KeyPair.generate(); // a first key pair costs 150-250 ms: not on a tenant's first create
        });
    }

    WebhooksHandler(TokenVerifier tokens, WebhookService webhooks, DispatchHistory dispatches, TestSend testSend,
            EventTypeCatalog catalog, SecretRotation rotation, WebhookStats stats, Resend resend, Recovery recovery,
            Clock clock) {
        super(tokens);
        this.resend = resend;
        this.recovery = recovery;
        this.clock = clock;
        this.webhooks = webhooks;
        this.dispatches = dispatches;
        this.testSend = testSend;
        this.catalog = catalog;
        this.rotation = rotation;
        this.stats = stats;
        this.routes = Map.ofEntries(
                Map.entry(ApiRoute.CREATE_WEBHOOK, this::create),
                Map.entry(ApiRoute.GET_WEBHOOK, this::get),
                Map.entry(ApiRoute.UPDATE_WEBHOOK, this::update),
                Map.entry(ApiRoute.DELETE_WEBHOOK, this::delete),
                Map.entry(ApiRoute.LIST_DELIVERIES, this::deliveries),
                Map.entry(ApiRoute.WEBHOOK_STATS, this::stats),
                Map.entry(ApiRoute.SEND_TEST, this::test),
                Map.entry(ApiRoute.ROTATE_SECRET, this::rotateSecret),
                Map.entry(ApiRoute.LIST_SIGNING_KEYS, this::signingKeys),
                Map.entry(ApiRoute.RECOVER_WEBHOOK, this::recover),
                Map.entry(ApiRoute.LIST_EVENT_TYPES, this::eventTypes));
        this.callerRoutes = Map.of(
                ApiRoute.LIST_WEBHOOKS, this::list,
                ApiRoute.RESEND_DISPATCH, this::resend,
                ApiRoute.CREATE_PORTAL_LINK, tokens.portalLinks().<CallerRoute>map(links -> new PortalLinkRoute(links, webhooks))
                        .orElse((request, caller) -> {
                            throw ApiException.notFound("portal links are not enabled");
                        }));
    }

    @Override
    protected Map<ApiRoute, Route> routes() {
        return routes;
    }

    @Override
    protected Map<ApiRoute, CallerRoute> callerRoutes() {
        return callerRoutes;
    }

    private ApiResponse create(ApiRequest request, String tenant) {
        Map<String, Object> body = RequestBodies.jsonObject(request);
        try {
            return ApiResponse.json(201, Views.webhook(webhooks.create(tenant, body), true));
        } catch (WebhookLimitReachedException e) {
            throw new ApiException(409, "webhook_limit_reached", e.getMessage(), List.of());
        }
    }

    private ApiResponse list(ApiRequest request, Caller caller) {
        QueryParameters.only(request, Paging.PARAMETERS);
        int limit = Paging.limit(request);
        String cursor = Paging.cursor(request);
        Page<Webhook> page = caller.restricted() ? OwnWebhooks.page(webhooks, caller, limit, cursor)
                : webhooks.list(caller.tenant(), limit, cursor);
        return ApiResponse.json(200, Views.list(page, w -> Views.webhook(w, false)));
    }

    private ApiResponse get(ApiRequest request, String tenant) {
        return webhooks.get(tenant, webhookId(request))
                .map(w -> ApiResponse.json(200, Views.webhook(w, false)))
                .orElseThrow(() -> webhookNotFound(request));
    }

    private ApiResponse update(ApiRequest request, String tenant) {
        String id = webhookId(request);
        Map<String, Object> body = RequestBodies.jsonObject(request);
        return webhooks.update(tenant, id, body)
                .map(w -> ApiResponse.json(200, Views.webhook(w, false)))
                .orElseThrow(() -> webhookNotFound(request));
    }

    private ApiResponse delete(ApiRequest request, String tenant) {
        if (!webhooks.delete(tenant, webhookId(request))) {
            throw webhookNotFound(request);
        }
        return ApiResponse.noContent();
    }

    private ApiResponse deliveries(ApiRequest request, String tenant) {
        QueryParameters.only(request, Paging.PARAMETERS);
        String id = webhookId(request);
        int limit = Paging.limit(request);
        if (webhooks.get(tenant, id).isEmpty()) {
            throw webhookNotFound(request);
        }
        var page = dispatches.list(tenant, new DispatchHistory.Filter(id, null, null), limit, Paging.cursor(request),
                DispatchPageSize.LIMIT);
        return ApiResponse.json(200, Views.list(page, Views::dispatch));
    }

    private ApiResponse stats(ApiRequest request, String tenant) {
        QueryParameters.only(request, List.of("since", "bucket"));
        return stats.of(tenant, webhookId(request), request.query("since"), request.query("bucket"))
                .map(s -> ApiResponse.json(200, Views.stats(s)))
                .orElseThrow(() -> webhookNotFound(request));
    }

    private ApiResponse test(ApiRequest request, String tenant) {
        String id = webhookId(request);
        RequestBodies.requireEmpty(request);
        return testSend.send(tenant, id)
                .map(d -> ApiResponse.json(200, Views.dispatch(d)))
                .orElseThrow(() -> webhookNotFound(request));
    }

    private ApiResponse rotateSecret(ApiRequest request, String tenant) {
        String id = webhookId(request);
        return rotation.rotate(tenant, id, RequestBodies.optionalJsonObject(request))
                .map(r -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("id", r.id());
                    v.put("secret", r.secret());
                    v.put("publicKey", r.publicKey());
                    v.put("previousSecretExpiresAt", Timestamps.format(r.previousSecretExpiresAt()));
                    return ApiResponse.json(200, v);
                })
                .orElseThrow(() -> webhookNotFound(request));
    }

    private ApiResponse signingKeys(ApiRequest request, String tenant) {
        return webhooks.get(tenant, webhookId(request))
                .map(w -> ApiResponse.json(200, Views.list(new Page<>(SigningKeys.of(w, clock.instant()), null),
                        Views::signingKey)))
                .orElseThrow(() -> webhookNotFound(request));
    }

    private ApiResponse resend(ApiRequest request, Caller caller) {
        String tenant = caller.tenant();
        String id = request.pathParameter("id");
        RequestBodies.requireEmpty(request);
        ApiException notFound = ApiException.notFound("no dispatch with id " + Text.printable(id));
        if (id == null || !id.matches("dispatch_[0-9a-z]{26}")) {
            throw notFound;
        }
        if (caller.restricted() && dispatches.get(tenant, id).filter(d -> caller.sees(d.webhookId())).isEmpty()) {
            throw notFound;
        }
        try {
            return resend.resend(tenant, id).map(d -> ApiResponse.json(200, Views.dispatch(d))).orElseThrow(() -> notFound);
        } catch (WebhookDisabledException e) {
            throw disabled(e);
        }
    }

    private ApiResponse recover(ApiRequest request, String tenant) {
        String id = webhookId(request);
        RecoverWindow window = RecoverWindow.parse(RequestBodies.jsonObject(request), clock);
        try {
            int queued = recovery.start(tenant, id, window).orElseThrow(() -> webhookNotFound(request));
            return ApiResponse.json(202, Map.of("queued", queued));
        } catch (WebhookDisabledException e) {
            throw disabled(e);
        }
    }

    private static ApiException disabled(WebhookDisabledException e) {
        return new ApiException(409, "webhook_disabled", e.getMessage(), List.of());
    }

    private ApiResponse eventTypes(ApiRequest request, String tenant) {
        List<Map<String, Object>> data = catalog.names().stream().map(n -> {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("name", n);
            type.put("description", catalog.description(n));
            return type;
        }).toList();
        return ApiResponse.json(200, Views.list(new Page<>(data, null), item -> item));
    }

    /** Ids are ours, so anything that is not shaped like one cannot exist: 404 without a database read. */
    static String webhookId(ApiRequest request) {
        String id = request.pathParameter("id");
        if (id == null || !id.matches("wh_[0-9a-z]{26}")) {
            throw webhookNotFound(request);
        }
        return id;
    }

    static ApiException webhookNotFound(ApiRequest request) {
        return ApiException.notFound("no webhook with id " + Text.printable(request.pathParameter("id")));
    }
}
