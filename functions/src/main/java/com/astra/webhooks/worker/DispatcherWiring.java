package com.astra.webhooks.worker;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Config;
import com.astra.webhooks.config.Keys;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.queue.SqsQueues;
import com.astra.webhooks.store.dynamodb.DynamoDbDeliveryStateStore;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import com.astra.webhooks.store.dynamodb.DynamoDbEventStore;
import com.astra.webhooks.store.dynamodb.DynamoDbTestModeStore;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the dispatcher from settings, once per container. */
public final class DispatcherWiring {
    private DispatcherWiring() {}

    public static Dispatcher dispatcher(Config config) {
        DynamoDbClient dynamo = AwsClients.dynamoDb(config);
        String table = config.require(Keys.TABLE_NAME);
        Duration timeout = Duration.ofMillis(config.getInt(Keys.DELIVERY_TIMEOUT_MS, 10_000));
        Duration retention = Duration.ofDays(config.getInt(Keys.RETENTION_DAYS, 30));
        DynamoDbEventStore events = new DynamoDbEventStore(dynamo, table);
        return new Dispatcher(
                new DynamoDbWebhookStore(dynamo, table),
                events,
                new DynamoDbDeliveryStateStore(dynamo, table),
                new DynamoDbDispatchStore(dynamo, table, events, retention),
                new DynamoDbTestModeStore(dynamo, table),
                new SqsQueues(AwsClients.sqs(config), config.require(Keys.EVENTS_QUEUE_URL), config.require(Keys.DLQ_URL)),
                sender(config),
                RetrySchedule.parseOrDefault(config.get(Keys.RETRY_SCHEDULE, "")),
                EventTypeCatalog.parse(config.get(Keys.EVENT_TYPES, "")),
                Clock.systemUTC(),
                retention,
                // A claim outlives any honest attempt; after it, a crashed attempt may be redone.
                timeout.plusSeconds(30),
                executor(config.getInt(Keys.MAX_CONCURRENCY, 64)));
    }

    public static Sender sender(Config config) {
        Duration timeout = Duration.ofMillis(config.getInt(Keys.DELIVERY_TIMEOUT_MS, 10_000));
        TargetGuard guard = new TargetGuard(config.getBoolean(Keys.ALLOW_PRIVATE_TARGETS, false),
                config.getBoolean(Keys.REQUIRE_HTTPS, true));
        return new Sender(new DeliveryClient(timeout, guard, Sender.USER_AGENT), new WebhookSigner(), Clock.systemUTC());
    }

    private static ExecutorService executor(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
