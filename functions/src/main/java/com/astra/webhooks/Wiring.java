package com.astra.webhooks;

import com.astra.webhooks.api.ApiRequest;
import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Config;
import com.astra.webhooks.config.Keys;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.dispatch.TestSend;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.queue.SqsQueues;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import com.astra.webhooks.store.dynamodb.DynamoDbEventStore;
import com.astra.webhooks.store.dynamodb.DynamoDbTestModeStore;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookValidator;
import com.astra.webhooks.worker.Dispatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the parts from settings, once per container, for the handlers' no-argument
 * constructors. Each handler asks only for what it uses, so a function never opens a client
 * it does not need (cold start).
 */
public final class Wiring {

    private final Config config;
    private final Clock clock = Clock.systemUTC();
    private DynamoDbClient dynamo;

    public Wiring(Config config) {
        this.config = config;
    }

    public static Wiring fromEnvironment() {
        return new Wiring(Config.fromEnvironment());
    }

    public Config config() {
        return config;
    }

    /**
     * A cheap authenticated request for SnapStart priming (GET /event-types reads no data). The
     * token is minted with JWT_SECRET when there is one; without it the request exercises the
     * refusal path instead.
     */
    public ApiRequest primingRequest() {
        Map<String, String> headers = new HashMap<>();
        config.get(Keys.JWT_SECRET).ifPresent(secret -> headers.put("authorization",
                "Bearer " + TokenIssuer.issueHs256(secret, "snapstart-priming", Duration.ofMinutes(5))));
        return new ApiRequest("GET", "/event-types", "GET /event-types", Map.of(), Map.of(), headers, null);
    }

    public TokenVerifier tokens() {
        return new TokenVerifier(config);
    }

    public EventTypeCatalog catalog() {
        return EventTypeCatalog.parse(config.get(Keys.EVENT_TYPES, ""));
    }

    public Duration retention() {
        return Duration.ofDays(config.getInt(Keys.RETENTION_DAYS, 30));
    }

    public synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = AwsClients.dynamoDb(config);
        }
        return dynamo;
    }

    private String table() {
        return config.require(Keys.TABLE_NAME);
    }

    public TargetGuard targetGuard() {
        return new TargetGuard(config.getBoolean(Keys.ALLOW_PRIVATE_TARGETS, false),
                config.getBoolean(Keys.REQUIRE_HTTPS, true));
    }

    public WebhookStore webhookStore() {
        return new DynamoDbWebhookStore(dynamo(), table());
    }

    public EventStore eventStore() {
        return new DynamoDbEventStore(dynamo(), table());
    }

    public DispatchStore dispatchStore() {
        return new DynamoDbDispatchStore(dynamo(), table(), eventStore(), retention());
    }

    public TestModeStore testModeStore() {
        return new DynamoDbTestModeStore(dynamo(), table());
    }

    public WebhookService webhookService() {
        return new WebhookService(webhookStore(), new WebhookValidator(catalog(), targetGuard()), clock);
    }

    public Sender sender() {
        Duration timeout = deliveryTimeout();
        // The HTTP client's own callbacks run on a small fixed pool: its default executor starts
        // a thread per exchange. Not the dispatcher's pool, whose threads wait on these callbacks.
        return new Sender(new DeliveryClient(timeout, targetGuard(), Sender.USER_AGENT, pool("http-client", 2)),
                new WebhookSigner(), clock);
    }

    public TestSend testSend() {
        return new TestSend(webhookStore(), eventStore(), dispatchStore(), testModeStore(), sender(), clock, retention());
    }

    public Dispatcher dispatcher() {
        return new Dispatcher(
                webhookStore(),
                eventStore(),
                dispatchStore(),
                testModeStore(),
                new SqsQueues(AwsClients.sqs(config), config.require(Keys.EVENTS_QUEUE_URL), config.require(Keys.DLQ_URL)),
                sender(),
                RetrySchedule.parseOrDefault(config.get(Keys.RETRY_SCHEDULE, "")),
                catalog(),
                clock,
                retention(),
                // A claim outlives any honest attempt; after it, a crashed attempt may be redone.
                deliveryTimeout().plusSeconds(30),
                pool("delivery", config.getInt(Keys.MAX_CONCURRENCY, 64)));
    }

    private Duration deliveryTimeout() {
        return Duration.ofMillis(config.getInt(Keys.DELIVERY_TIMEOUT_MS, 10_000));
    }

    private static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
