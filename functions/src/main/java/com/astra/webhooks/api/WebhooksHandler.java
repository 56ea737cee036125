package com.astra.webhooks.api;

import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Config;
import com.astra.webhooks.config.Keys;
import com.astra.webhooks.core.Text;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookValidator;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Webhook CRUD and the event type catalog; also the $default route (404/405). */
public final class WebhooksHandler extends ApiHandler {

    private final WebhookService webhooks;
    private final EventTypeCatalog catalog;
    private final Map<String, Route> routes;

    public WebhooksHandler() {
        this(Config.fromEnvironment());
    }

    private WebhooksHandler(Config config) {
        this(new TokenVerifier(config), webhookService(config), EventTypeCatalog.parse(config.get(Keys.EVENT_TYPES, "")));
    }

    WebhooksHandler(TokenVerifier tokens, WebhookService webhooks, EventTypeCatalog catalog) {
        super(tokens);
        this.webhooks = webhooks;
        this.catalog = catalog;
        this.routes = Map.of(
                "POST /webhooks", this::create,
                "GET /webhooks", this::list,
                "GET /webhooks/{id}", this::get,
                "PUT /webhooks/{id}", this::update,
                "DELETE /webhooks/{id}", this::delete,
                "GET /event-types", this::eventTypes);
    }

    static WebhookService webhookService(Config config) {
        EventTypeCatalog catalog = EventTypeCatalog.parse(config.get(Keys.EVENT_TYPES, ""));
        TargetGuard guard = new TargetGuard(config.getBoolean(Keys.ALLOW_PRIVATE_TARGETS, false),
                config.getBoolean(Keys.REQUIRE_HTTPS, true));
        return new WebhookService(new DynamoDbWebhookStore(AwsClients.dynamoDb(config), config.require(Keys.TABLE_NAME)),
                new WebhookValidator(catalog, guard), Clock.systemUTC());
    }

    @Override
    protected Map<String, Route> routes() {
        return routes;
    }

    private ApiResponse create(ApiRequest request, String tenant) {
        return ApiResponse.json(201, Views.webhook(webhooks.create(tenant, RequestBodies.jsonObject(request)), true));
    }

    private ApiResponse list(ApiRequest request, String tenant) {
        return ApiResponse.json(200, Views.list(webhooks.list(tenant, Paging.limit(request), Paging.cursor(request)),
                w -> Views.webhook(w, false)));
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

    private ApiResponse eventTypes(ApiRequest request, String tenant) {
        List<Map<String, Object>> data = catalog.names().stream().map(n -> Map.<String, Object>of("name", n)).toList();
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
