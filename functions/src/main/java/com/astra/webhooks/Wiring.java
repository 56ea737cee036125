package com.astra.webhooks;

import com.astra.webhooks.api.ApiRequest;
import com.astra.webhooks.auth.PortalLinks;
import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.aws.CachedSecret;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.dispatch.Resend;
import com.astra.webhooks.dispatch.TestSend;
import com.astra.webhooks.worker.AutoDisable;
import com.astra.webhooks.worker.Recovery;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.queue.SqsQueues;
import com.astra.webhooks.queue.SqsSecretExpiries;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import com.astra.webhooks.store.dynamodb.DynamoDbEventStore;
import com.astra.webhooks.store.dynamodb.DynamoDbRateLimiter;
import com.astra.webhooks.store.dynamodb.DynamoDbServiceKeys;
import com.astra.webhooks.store.dynamodb.DynamoDbTestModeStore;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.webhook.SecretRotation;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookStats;
import com.astra.webhooks.webhook.WebhookValidator;
import com.astra.webhooks.worker.BatchReports;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.SlowLane;
import com.astra.webhooks.worker.RateLimitGate;
import com.astra.webhooks.worker.SecretExpiryHandler;
import com.astra.webhooks.worker.TestLogClear;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the parts from settings, once per container, for the handlers' no-argument
 * constructors. Each handler asks only for what it uses, so a function never opens a client
 * it does not need (cold start).
 */
public final class Wiring {

    private final Settings settings;
    private final Clock clock = Clock.systemUTC();
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private Supplier<String> hs256Secret;
    private PortalLinks portalLinks;

    public Wiring(Settings settings) {
        this.settings = settings;
    }

    public static Wiring fromEnvironment() {
        return new Wiring(Settings.fromEnvironment());
    }

    public Settings settings() {
        return settings;
    }

    /**
     * A cheap authenticated request for SnapStart priming (GET /event-types reads no data). The
     * token is minted with JWT_SECRET when there is one; without it the request exercises the
     * refusal path instead.
     */
    public ApiRequest primingRequest() {
        Map<String, String> headers = new HashMap<>();
        if (settings.jwtSecret() != null) {
            headers.put("authorization", "Bearer "
                    + TokenIssuer.issueHs256(settings.jwtSecret(), "snapstart-priming", Duration.ofMinutes(5)));
        }
        return new ApiRequest("GET", "/event-types", "GET /event-types", Map.of(), Map.of(), headers, null);
    }

    /** On AWS the HS256 secret comes from Secrets Manager (JWT_SECRET_ARN); locally from JWT_SECRET. */
    public TokenVerifier tokens() {
        TokenVerifier platform = settings.jwtSecretArn() != null
                ? new TokenVerifier(hs256Secret(), settings.jwksUrl(), settings.jwtIssuer(), settings.jwtAudience(),
                        settings.tenantClaim())
                : new TokenVerifier(settings);
        return platform.withPortalLinks(portalLinks());
    }

    /**
     * Portal link tokens are signed with a key derived from the HS256 secret when there is one,
     * else from a random key the service keeps in its table (JWKS-only: the platform's private
     * key is not ours to sign with).
     */
    public synchronized PortalLinks portalLinks() {
        if (portalLinks == null) {
            Supplier<String> source = settings.jwtSecretArn() != null || settings.jwtSecret() != null ? hs256Secret()
                    : CachedSecret.of(() -> new DynamoDbServiceKeys(dynamo(), table()).portalLinkKey());
            portalLinks = new PortalLinks(source, clock);
        }
        return portalLinks;
    }

    private synchronized Supplier<String> hs256Secret() {
        if (hs256Secret == null) {
            String fixed = settings.jwtSecret();
            hs256Secret = settings.jwtSecretArn() != null ? CachedSecret.secretsManager(settings, settings.jwtSecretArn())
                    : () -> fixed;
        }
        return hs256Secret;
    }

    public EventTypeCatalog catalog() {
        return settings.eventTypes();
    }

    public Duration retention() {
        return settings.retention();
    }

    public synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = AwsClients.dynamoDb(settings);
        }
        return dynamo;
    }

    private String table() {
        return Settings.require(Settings.TABLE_NAME, settings.tableName());
    }

    public TargetGuard targetGuard() {
        return new TargetGuard(settings.allowPrivateTargets(), settings.requireHttps());
    }

    public WebhookStore webhookStore() {
        return new DynamoDbWebhookStore(dynamo(), table(), clock);
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

    public Clock clock() {
        return clock;
    }

    public Resend resend() {
        return new Resend(webhookStore(), dispatchStore(), testModeStore(), sender());
    }

    /** For the API, which queues a recover's pages and first attempts but never dead-letters. */
    public Recovery recovery() {
        return new Recovery(webhookStore(), dispatchStore(), apiQueues(), clock);
    }

    /** For the API, which queues the rest of a clear but never dead-letters. */
    public TestLogClear testLogClear() {
        return new TestLogClear(testModeStore(), dispatchStore(), apiQueues());
    }

    private SqsQueues apiQueues() {
        return new SqsQueues(this::sqs, Settings.require(Settings.EVENTS_QUEUE_URL, settings.eventsQueueUrl()), settings.dlqUrl());
    }

    public Dispatcher dispatcher() {
        SqsQueues queues = new SqsQueues(sqs(), Settings.require(Settings.EVENTS_QUEUE_URL, settings.eventsQueueUrl()),
                Settings.require(Settings.DLQ_URL, settings.dlqUrl()), settings.slowQueueUrl());
        ExecutorService delivery = pool("delivery", settings.maxConcurrency());
        return new Dispatcher(
                webhookStore(),
                eventStore(),
                dispatchStore(),
                testModeStore(),
                queues,
                sender(),
                settings.retrySchedule(),
                catalog(),
                clock,
                retention(),
                claimLease(),
                delivery,
                new SecretExpiryHandler(webhookStore(), secretExpiries(), queues, clock),
                new RateLimitGate(new DynamoDbRateLimiter(dynamo(), table()), queues, clock, delivery),
                new Recovery(webhookStore(), dispatchStore(), queues, clock),
                new AutoDisable(webhookStore(), queues, settings.disableAfter(), clock),
                settings.slowQueueUrl() == null || settings.slowAfter().isZero() ? SlowLane.none()
                        : SlowLane.over(queues, webhookStore(), SlowLane.threshold(settings.slowAfter(), deliveryTimeout()),
                                clock));
    }

    public WebhookStats webhookStats() {
        return new WebhookStats(webhookStore(), dispatchStore(), clock);
    }

    /** The dispatcher's logs, metrics and deadline per invocation. */
    public BatchReports batchReports() {
        return new BatchReports(deliveryTimeout(), clock);
    }

    public SecretRotation secretRotation() {
        return new SecretRotation(webhookStore(), secretExpiries(), clock);
    }

    private SqsSecretExpiries secretExpiries() {
        return new SqsSecretExpiries(this::sqs, Settings.require(Settings.EVENTS_QUEUE_URL, settings.eventsQueueUrl()), clock);
    }

    private synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = AwsClients.sqs(settings);
        }
        return sqs;
    }

    /** A delivery claim outlives any honest attempt; after it, a crashed attempt may be redone. */
    public Duration claimLease() {
        return deliveryTimeout().plusSeconds(30);
    }

    private Duration deliveryTimeout() {
        return settings.deliveryTimeout();
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
