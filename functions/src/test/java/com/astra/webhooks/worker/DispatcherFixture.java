package com.astra.webhooks.worker;

import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.TestLogClearChunk;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.observability.BatchMetrics;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.testing.RecordingWebhookStore;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * A Dispatcher over in-memory stores and queues, sending to a receiver on loopback whose answer
 * per path the test sets. Everything the dispatcher did is readable afterwards.
 */
final class DispatcherFixture implements AutoCloseable {

    static final String TENANT = "t-unit";

    final RecordingWebhookStore webhooks = new RecordingWebhookStore();
    final Events events = new Events();
    final Dispatches dispatches = new Dispatches();
    final Map<String, Boolean> testModes = new ConcurrentHashMap<>();
    final List<RetryTask> retries = new CopyOnWriteArrayList<>();
    /** Deliveries queued on the slow lane. */
    final List<RetryTask> slowLane = new CopyOnWriteArrayList<>();
    /** How long the receiver waits before it answers, per path (none: at once). */
    final Map<String, Duration> delays = new ConcurrentHashMap<>();
    final List<String> deadLetters = new CopyOnWriteArrayList<>();
    final List<String> published = new CopyOnWriteArrayList<>();
    final List<String> posts = new CopyOnWriteArrayList<>();
    final Map<String, Integer> answers = new ConcurrentHashMap<>();
    final List<String> logLines = new CopyOnWriteArrayList<>();
    final Clock clock = Clock.systemUTC();
    final Duration lease = Duration.ofSeconds(30);
    private final Receiver receiver = new Receiver();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    final Dispatcher dispatcher;

    DispatcherFixture() throws IOException {
        this(null);
    }

    /** @param slowAfter the slow lane's threshold; null for a dispatcher without a slow lane */
    DispatcherFixture(Duration slowAfter) throws IOException {
        receiver.otherwise(request -> {
            posts.add(request.path() + " " + request.header("webhook-id"));
            return new Answer(answers.getOrDefault(request.path(), 200), delays.getOrDefault(request.path(), Duration.ZERO), "");
        });
        Queues queues = new Queues() {
            @Override
            public void scheduleRetry(RetryTask task, int delaySeconds) {
                retries.add(task);
            }

            @Override
            public void deadLetter(String body, String reason) {
                deadLetters.add(reason);
            }

            @Override
            public void toSlowLane(RetryTask task, int delaySeconds) {
                slowLane.add(task);
            }

            @Override
            public void queueAll(java.util.List<RetryTask> tasks, int delaySeconds) {
                tasks.forEach(t -> scheduleRetry(t, 0));
            }

            @Override
            public void continueRecovery(RecoveryPage page) {
                throw new AssertionError("no recover runs here");
            }

            @Override
            public void continueTestLogClear(TestLogClearChunk chunk) {
                throw new AssertionError("no clear runs here");
            }

            @Override
            public void publish(String message) {
                published.add(message);
            }
        };
        TestModeStore modes = new TestModeStore() {
            @Override
            public TestMode get(String tenant) {
                return new TestMode(testModes.getOrDefault(tenant, false), null);
            }

            @Override
            public TestMode set(String tenant, boolean enabled, Instant now) {
                testModes.put(tenant, enabled);
                return new TestMode(enabled, now);
            }

            @Override
            public void clearLog(String tenant, Instant at) {
                throw new AssertionError("no clear runs here");
            }
        };
        Sender sender = new Sender(new DeliveryClient(Duration.ofSeconds(2), new TargetGuard(true, false), "test"),
                new WebhookSigner(), clock);
        dispatcher = new Dispatcher(webhooks, events, dispatches, modes, queues, sender,
                RetrySchedule.parse("1s,1s"), new EventTypeCatalog(EventTypeCatalog.DEFAULT), clock,
                Duration.ofDays(1), lease, executor, new SecretExpiryHandler(webhooks, (t, w, at) -> { }, queues, clock),
                new RateLimitGate((tenant, id, limit, now) -> now, queues, clock, executor),
                new Recovery(webhooks, dispatches, queues, clock),
                new AutoDisable(webhooks, queues, Duration.ofDays(5), clock),
                slowAfter == null ? SlowLane.none() : SlowLane.over(queues, webhooks, slowAfter, clock));
    }

    Webhook webhook(String path) {
        Webhook w = new Webhook("wh_" + path.substring(1), TENANT,
                receiver.url(path), List.of(Webhook.ALL_EVENTS), null, true,
                clock.instant(), clock.instant(), WebhookSigner.newSecret());
        webhooks.create(w);
        return w;
    }

    /** A batch processed with {@code remaining} ms of invocation left at every check. */
    java.util.Set<String> process(List<QueueMessage> batch, LongSupplier remaining) {
        BatchReport report = new BatchReport(new JsonLog((line, error) -> logLines.add(line), "req-1"),
                new BatchMetrics("unit", clock).start((line, error) -> logLines.add(line), "req-1"), remaining,
                Duration.ofSeconds(2).plus(BatchReports.WRITES).toMillis(), clock);
        return dispatcher.process(batch, report);
    }

    java.util.Set<String> process(QueueMessage... batch) {
        return process(List.of(batch), () -> Long.MAX_VALUE);
    }

    static QueueMessage event(String id, int receiveCount) {
        return new QueueMessage("m-" + id + "-" + receiveCount,
                "{\"event\":\"agent_completed\",\"tenant\":\"" + TENANT + "\",\"id\":\"" + id + "\",\"data\":{}}",
                Map.of(), receiveCount);
    }

    static QueueMessage retry(RetryTask task) {
        return new QueueMessage("r-" + task.eventId() + "-" + task.attempt(), task.toJson(),
                Map.of(QueueMessage.KIND, QueueMessage.RETRY), 1);
    }

    /** {@code task} as the slow lane's event source hands it over. */
    static QueueMessage onSlowLane(RetryTask task) {
        return new QueueMessage("s-" + task.eventId() + "-" + task.attempt(), task.toJson(),
                Map.of(QueueMessage.KIND, QueueMessage.RETRY, QueueMessage.LANE, QueueMessage.SLOW), 1);
    }

    @Override
    public void close() {
        receiver.close();
        executor.shutdownNow();
    }

    /** Payloads by (tenant, event), with the time each was first seen. */
    static final class Events implements EventStore {
        final Map<String, Stored> stored = new ConcurrentHashMap<>();

        @Override
        public Stored putIfAbsent(String tenant, String eventId, String eventType, String payload, Instant now,
                Instant expiresAt) {
            Stored mine = new Stored(payload, now, true);
            Stored previous = stored.putIfAbsent(tenant + "/" + eventId, mine);
            return previous == null ? mine : new Stored(previous.payload(), previous.firstSeen(), false);
        }

        @Override
        public Optional<String> payload(String tenant, String eventId) {
            return Optional.ofNullable(stored.get(tenant + "/" + eventId)).map(Stored::payload);
        }

        @Override
        public Map<String, String> payloads(String tenant, Collection<String> eventIds) {
            Map<String, String> m = new ConcurrentHashMap<>();
            eventIds.forEach(id -> payload(tenant, id).ifPresent(p -> m.put(id, p)));
            return m;
        }
    }

    /** Attempt records by id; {@code record} is conditional on the id, as DynamoDB's is. */
    static final class Dispatches implements DispatchStore {
        final Map<String, Dispatch> byId = new ConcurrentHashMap<>();

        @Override
        public Window window(String tenant, String webhookId, Instant since, Instant until, int max) {
            throw new UnsupportedOperationException("stats are not the dispatcher's");
        }

        @Override
        public Page<Dispatch> finalFailures(String tenant, String webhookId, Instant since, Instant until, String after,
                int maxRead) {
            throw new UnsupportedOperationException("recover is not the dispatcher's");
        }

        @Override
        public boolean claimRecovery(String tenant, String webhookId, String dispatchId, Instant at, String claim) {
            return byId.containsKey(dispatchId) && claim.equals(recoveryMarks.putIfAbsent(dispatchId, claim) == null
                    ? claim : recoveryMarks.get(dispatchId));
        }

        /** Recover marks by failed dispatch id. */
        final Map<String, String> recoveryMarks = new ConcurrentHashMap<>();

        @Override
        public Optional<String> recoveryMark(String tenant, String webhookId, String dispatchId) {
            return Optional.ofNullable(recoveryMarks.get(dispatchId));
        }
        final List<String> droppedRetries = new CopyOnWriteArrayList<>();

        @Override
        public boolean record(Dispatch d) {
            return byId.putIfAbsent(d.id(), d) == null;
        }

        @Override
        public void put(Dispatch d) {
            byId.put(d.id(), d);
        }

        @Override
        public Map<String, Dispatch> find(String tenant, Map<String, String> dispatchIdByWebhook) {
            Map<String, Dispatch> found = new ConcurrentHashMap<>();
            dispatchIdByWebhook.forEach((webhook, id) -> {
                Dispatch d = byId.get(id);
                if (d != null) {
                    found.put(webhook, d);
                }
            });
            return found;
        }

        @Override
        public void dropRetry(String tenant, String webhookId, String dispatchId, String error) {
            droppedRetries.add(dispatchId + ": " + error);
        }

        @Override
        public Optional<Dispatch> get(String tenant, String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public Page<Dispatch> list(String tenant, Filter filter, int limit, String cursor, long maxBytes) {
            return new Page<>(List.copyOf(byId.values()), null);
        }

        @Override
        public ClearPosition deleteIntercepted(String tenant, Instant clearedAt, ClearPosition from, int maxItems,
                int maxQueries) {
            throw new AssertionError("no clear runs here");
        }

        List<Dispatch> all() {
            return List.copyOf(byId.values());
        }
    }
}
