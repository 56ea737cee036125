package com.astra.webhooks.wiring;

import com.astra.webhooks.auth.PortalLinks;
import com.astra.webhooks.auth.TokenVerifier;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.aws.CachedSecret;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Resend;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.dispatch.TestSend;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.TestLogClear;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.queue.SqsQueues;
import com.astra.webhooks.queue.SqsSecretExpiries;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.RateLimiter;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchHistory;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import com.astra.webhooks.store.dynamodb.DynamoDbSequences;
import com.astra.webhooks.store.Sequences;
import com.astra.webhooks.jobs.OrderedQueues;
import com.astra.webhooks.queue.SqsOrderedQueues;
import com.astra.webhooks.config.LambdaEnvironment;
import com.astra.webhooks.store.dynamodb.DynamoDbEventStore;
import com.astra.webhooks.store.dynamodb.DynamoDbRateLimiter;
import com.astra.webhooks.store.dynamodb.DynamoDbServiceKeys;
import com.astra.webhooks.store.dynamodb.DynamoDbTestModeStore;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.webhook.SecretExpiries;
import com.astra.webhooks.webhook.SecretRotation;
import com.astra.webhooks.webhook.WebhookService;
import com.astra.webhooks.webhook.WebhookStats;
import com.astra.webhooks.webhook.WebhookValidator;
import java.time.Clock;
import java.time.Duration;
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
 * it does not need (cold start). It knows the stores, queues and services below the handlers,
 * never the handlers' packages: the API and the dispatcher assemble their own parts from it.
 */
public final class Wiring {

    private final Settings settings;
    private final Clock clock = Clock.systemUTC();
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private Supplier<String> hs256Secret;
    private PortalLinks portalLinks;
    private Sender apiSender;

    public Wiring(Settings settings) {
        this.settings = settings;
    }

    public static Wiring fromEnvironment() {
        return new Wiring(Settings.fromEnvironment());
    }

    public Settings settings() {
        return settings;
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
        return new DynamoDbDispatchStore(dynamo(), table(), retention());
    }

    public DispatchHistory dispatchHistory() {
        return new DynamoDbDispatchHistory(dynamo(), table(), eventStore(), testModeStore());
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
        return new TestSend(webhookStore(), eventStore(), dispatchStore(), testModeStore(), this::apiSender, clock, retention());
    }

    /**
     * The API's one sender, for test sends and resends, built on the first of them: an HTTP
     * client (its selector thread, the default TLS context) is about 340 classes that a
     * function's first request otherwise pays although it rarely sends.
     */
    public synchronized Sender apiSender() {
        if (apiSender == null) {
            apiSender = sender();
        }
        return apiSender;
    }

    public Clock clock() {
        return clock;
    }

    public Resend resend() {
        return new Resend(webhookStore(), dispatchHistory(), dispatchStore(), testModeStore(), this::apiSender);
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

    /**
     * The dispatcher's queues: besides the events queue, it dead-letters and, when there is a slow
     * lane, sends to it. One per dispatcher, shared by its parts.
     */
    public Queues dispatcherQueues() {
        return new SqsQueues(sqs(), Settings.require(Settings.EVENTS_QUEUE_URL, settings.eventsQueueUrl()),
                Settings.require(Settings.DLQ_URL, settings.dlqUrl()), settings.slowQueueUrl());
    }

    /** The threads that run deliveries, as many as MAX_CONCURRENCY. */
    public ExecutorService deliveryPool() {
        return pool("delivery", settings.deliveryThreads());
    }

    public RateLimiter rateLimiter() {
        return new DynamoDbRateLimiter(dynamo(), table());
    }

    public WebhookStats webhookStats() {
        return new WebhookStats(webhookStore(), dispatchHistory(), clock);
    }

    public SecretRotation secretRotation() {
        return new SecretRotation(webhookStore(), secretExpiries(), clock);
    }

    /** The sequence counters of ordered delivery. */
    public Sequences sequences() {
        return new DynamoDbSequences(dynamo(), table());
    }

    /**
     * The ordered stage and the FIFO DLQ (docs/ordered-delivery.md), or null when this
     * function's environment names no ordered stage.
     */
    public OrderedQueues orderedQueues() {
        Map<String, String> env = LambdaEnvironment.variables();
        String stage = env.get(Settings.ORDERED_QUEUE_URL);
        return stage == null || stage.isBlank() ? null
                : new SqsOrderedQueues(sqs(), stage, Settings.require(Settings.EVENTS_FIFO_DLQ_URL,
                        env.get(Settings.EVENTS_FIFO_DLQ_URL)));
    }

    public SecretExpiries secretExpiries() {
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

    public Duration deliveryTimeout() {
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
