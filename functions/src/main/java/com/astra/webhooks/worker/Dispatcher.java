package com.astra.webhooks.worker;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.jobs.PoisonMessageException;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.TestLogClear;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Turns a batch of queue messages into deliveries and the service's own jobs, routed by kind
 * ({@link QueueMessage}). Every (message, webhook) pair runs at once on the executor, so a batch
 * takes about as long as its slowest receiver; a tenant is read once per batch. Copies of one
 * event in one batch are sent once. An agent's event fans out ({@link FanOut}), a retry makes its
 * attempt ({@link Retries}), each attempt is made and recorded under its computed id, its record
 * being its claim ({@link Attempts}), and what its outcome means is {@link AttemptOutcome}'s.
 * A message is reported failed only if some of its work could not be done.
 */
public final class Dispatcher {

    /** The error of the record an event leaves on a disabled webhook it was not sent to. */
    public static final String NOT_SENT_DISABLED = "not sent: webhook disabled";

    private final WebhookStore webhooks;
    private final TestModeStore testModes;
    private final Queues queues;
    private final EventTypeCatalog catalog;
    private final Clock clock;
    private final ExecutorService executor;
    private final FanOut fanOut;
    private final Retries retries;
    private final ServiceJobs serviceJobs;
    private final WarmUp warmUp;

    /** A dispatcher without a slow lane: every delivery is made where its message is. */
    public Dispatcher(WebhookStore webhooks, EventStore events, DispatchStore dispatches,
            TestModeStore testModes, Queues queues, Sender sender, RetrySchedule schedule, EventTypeCatalog catalog,
            Clock clock, Duration retention, Duration lease, ExecutorService executor,
            SecretExpiryHandler secretExpiries, RateLimitGate rateLimits, Recovery recovery, AutoDisable autoDisable) {
        this(webhooks, events, dispatches, testModes, queues, sender, schedule, catalog, clock, retention, lease, executor,
                secretExpiries, rateLimits, recovery, autoDisable, SlowLane.none());
    }

    public Dispatcher(WebhookStore webhooks, EventStore events, DispatchStore dispatches,
            TestModeStore testModes, Queues queues, Sender sender, RetrySchedule schedule, EventTypeCatalog catalog,
            Clock clock, Duration retention, Duration lease, ExecutorService executor,
            SecretExpiryHandler secretExpiries, RateLimitGate rateLimits, Recovery recovery, AutoDisable autoDisable,
            SlowLane slowLane) {
        this.webhooks = webhooks;
        this.testModes = testModes;
        this.queues = queues;
        this.catalog = catalog;
        this.clock = clock;
        this.executor = executor;
        Attempts attempts = new Attempts(dispatches, queues, sender, slowLane,
                new AttemptOutcome(schedule, autoDisable, clock), clock);
        this.fanOut = new FanOut(events, dispatches, slowLane, rateLimits, attempts,
                new FanOut.Context(retention, lease, executor, clock));
        this.retries = new Retries(events, dispatches, queues, recovery, rateLimits, attempts, slowLane, clock);
        this.serviceJobs = new ServiceJobs(recovery, new TestLogClear(testModes, dispatches, queues), secretExpiries);
        this.warmUp = new WarmUp(events, sender, catalog, clock);
    }

    /** Processes the batch and returns the ids of the messages to be tried again. */
    public Set<String> process(List<QueueMessage> batch) {
        return process(batch, new BatchReports(Duration.ZERO, clock).start(null));
    }

    /** As above, telling {@code report} what it did and asking it whether time is left for an attempt. */
    public Set<String> process(List<QueueMessage> batch, BatchReport report) {
        TenantReads tenants = tenantReads();
        // Copies of one event in one batch are sent once; every copy shares the outcome.
        Map<String, List<String>> copies = new LinkedHashMap<>();
        Map<String, CompletableFuture<Boolean>> work = new LinkedHashMap<>();
        for (QueueMessage message : batch) {
            String key;
            Supplier<CompletableFuture<Boolean>> job;
            boolean redelivered = message.receiveCount() > 1;
            if (message.isRetry()) {
                key = "retry:" + message.messageId();
                job = () -> retry(message, tenants, redelivered, report);
            } else if (ServiceJobs.kind(message) != null) {
                key = ServiceJobs.kind(message) + ":" + message.messageId();
                job = () -> CompletableFuture.completedFuture(serviceJobs.handle(message));
            } else {
                try {
                    Event event = IncomingEvent.parse(message.body(), catalog, clock);
                    key = "event:" + event.tenant() + "\u0000" + event.id();
                    job = () -> fanOut.deliver(event, tenants, redelivered, report);
                } catch (PoisonMessageException e) {
                    key = "poison:" + message.messageId();
                    job = () -> deadLetter(message, e.getMessage(), report);
                }
            }
            copies.computeIfAbsent(key, k -> new ArrayList<>()).add(message.messageId());
            Supplier<CompletableFuture<Boolean>> once = job;
            work.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(once, executor)
                    .thenCompose(f -> f)
                    .exceptionally(e -> {
                        report.handedBack(message.messageId(), e);
                        return false;
                    }));
        }
        Set<String> failed = new HashSet<>();
        work.forEach((key, future) -> {
            if (!future.join()) {
                failed.addAll(copies.get(key));
            }
        });
        report.finish(batch.size(), failed.size());
        return failed;
    }

    /**
     * Runs the read and signing paths of a delivery for a tenant that has no webhooks, sending
     * and storing nothing: a warm-up before a SnapStart snapshot.
     */
    public void warmUp(String tenant) {
        tenantReads().get(tenant).join();
        warmUp.run(tenant);
    }

    private TenantReads tenantReads() {
        return new TenantReads(webhooks, testModes, executor);
    }

    private CompletableFuture<Boolean> deadLetter(QueueMessage message, String reason, BatchReport report) {
        queues.deadLetter(message.body(), reason);
        report.deadLettered(message, reason);
        return CompletableFuture.completedFuture(true);
    }

    private CompletableFuture<Boolean> retry(QueueMessage message, TenantReads tenants, boolean redelivered,
            BatchReport report) {
        RetryTask task;
        try {
            task = RetryTask.fromJson(message.body());
        } catch (PoisonMessageException e) {
            return deadLetter(message, e.getMessage(), report);
        }
        return retries.retry(message, task, tenants, redelivered, report);
    }
}
