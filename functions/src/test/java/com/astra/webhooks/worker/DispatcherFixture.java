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
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.observability.BatchMetrics;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import com.astra.webhooks.testing.InMemoryDispatchStore;
import com.astra.webhooks.testing.InMemoryEventStore;
import com.astra.webhooks.testing.InMemoryTestModeStore;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import com.astra.webhooks.testing.JobMessages;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    final InMemoryWebhookStore webhooks = new InMemoryWebhookStore();
    final InMemoryEventStore events = new InMemoryEventStore();
    final InMemoryDispatchStore dispatches = new InMemoryDispatchStore();
    final InMemoryTestModeStore testModes = new InMemoryTestModeStore();
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
        Sender sender = new Sender(new DeliveryClient(Duration.ofSeconds(2), new TargetGuard(true, false), "test"),
                new WebhookSigner(), clock);
        dispatcher = new Dispatcher(new DispatcherContext(webhooks, events, dispatches, testModes, queues, sender,
                new EventTypeCatalog(EventTypeCatalog.DEFAULT), RetrySchedule.parse("1s,1s"), Duration.ofDays(1), lease,
                executor, clock),
                new SecretErasure(webhooks, (t, w, at) -> { }, clock),
                new RateLimitGate((tenant, id, limit, now) -> now, queues, clock, executor),
                new Recovery(webhooks, dispatches, queues, clock),
                new AutoDisable(webhooks, queues, Duration.ofDays(5), clock),
                slowAfter == null ? SlowLane.none() : SlowLane.over(queues, webhooks, slowAfter, clock));
    }

    Webhook webhook(String path) {
        Webhook w = new Webhook("wh_" + path.substring(1), TENANT,
                receiver.url(path), List.of(Webhook.ALL_EVENTS), null, true,
                clock.instant(), clock.instant(), WebhookSigner.newSecret());
        webhooks.replace(w); // a second call for one path starts that webhook afresh
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
        return JobMessages.message("r-" + task.eventId() + "-" + task.attempt(), task);
    }

    /** {@code task} as the slow lane's event source hands it over. */
    static QueueMessage onSlowLane(RetryTask task) {
        return JobMessages.onSlowLane("s-" + task.eventId() + "-" + task.attempt(), task);
    }

    @Override
    public void close() {
        receiver.close();
        executor.shutdownNow();
    }
}
