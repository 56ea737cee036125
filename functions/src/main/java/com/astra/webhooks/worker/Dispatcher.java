package com.astra.webhooks.worker;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.retry.RetryAfter;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.dispatch.Envelope;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.jobs.PoisonMessageException;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.TestLogClear;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.SigningMode;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.EventStore.Stored;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Turns a batch of queue messages into deliveries. Every (message, webhook) pair runs at once
 * on the executor, so a batch takes about as long as its slowest receiver; an event's payload
 * write and its tenant's reads run side by side, and a tenant is read once per batch.
 *
 * <p>An attempt's record is its claim: its id is computed from (event, webhook, attempt) and the
 * record is written once, conditionally, right after the POST, the only storage call after it.
 * Before the POST nothing is written for a new event but its payload: the payload write tells
 * whether the event is new. Only for an event seen before are the records of its first
 * attempts read, to skip the webhooks that have one; a webhook without one while the first
 * worker's lease runs makes the copy wait (SQS brings it back), after it the webhook is sent to.
 * A message is reported failed only if some of its work could not be done.
 */
public final class Dispatcher {

    /** The error of the record an event leaves on a disabled webhook it was not sent to. */
    public static final String NOT_SENT_DISABLED = "not sent: webhook disabled";

    private final WebhookStore webhooks;
    private final EventStore events;
    private final DispatchStore dispatches;
    private final TestModeStore testModes;
    private final Queues queues;
    private final Sender sender;
    private final RetrySchedule schedule;
    private final EventTypeCatalog catalog;
    private final Clock clock;
    private final Duration retention;
    private final Duration lease;
    private final ExecutorService executor;
    private final SecretExpiryHandler secretExpiries;
    private final RateLimitGate rateLimits;
    private final Recovery recovery;
    private final AutoDisable autoDisable;
    private final SlowLane slowLane;

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
        this.events = events;
        this.dispatches = dispatches;
        this.testModes = testModes;
        this.queues = queues;
        this.sender = sender;
        this.schedule = schedule;
        this.catalog = catalog;
        this.clock = clock;
        this.retention = retention;
        this.lease = lease;
        this.executor = executor;
        this.secretExpiries = secretExpiries;
        this.rateLimits = rateLimits;
        this.recovery = recovery;
        this.autoDisable = autoDisable;
        this.slowLane = slowLane;
    }

    /** Processes the batch and returns the ids of the messages to be tried again. */
    public Set<String> process(List<QueueMessage> batch) {
        return process(batch, new BatchReports(Duration.ZERO, clock).start(null));
    }

    /** As above, telling {@code report} what it did and asking it whether time is left for an attempt. */
    public Set<String> process(List<QueueMessage> batch, BatchReport report) {
        Tenants tenants = new Tenants();
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
            } else if (message.isRecover()) {
                key = "recover:" + message.messageId();
                job = () -> CompletableFuture.completedFuture(recovery.handle(message));
            } else if (message.isTestLogClear()) {
                key = "test-log-clear:" + message.messageId();
                job = () -> CompletableFuture.completedFuture(new TestLogClear(testModes, dispatches, queues).handle(message));
            } else if (message.isSecretExpiry()) {
                key = "secret-expiry:" + message.messageId();
                job = () -> CompletableFuture.completedFuture(secretExpiries.handle(message));
            } else {
                try {
                    Event event = IncomingEvent.parse(message.body(), catalog, clock);
                    key = "event:" + event.tenant() + "\u0000" + event.id();
                    job = () -> deliver(event, tenants, redelivered, report);
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
        new Tenants().get(tenant).join();
        events.payload(tenant, "evt_snapstart_priming");
        // Signing with both schemes: the JDK's Ed25519 costs tens of milliseconds the first time.
        Webhook sample = new Webhook("wh_00000000000000000000000000", tenant, "https://example.invalid/",
                List.of(Webhook.ALL_EVENTS), null, true, clock.instant(), clock.instant(),
                com.astra.webhooks.core.signing.WebhookSigner.newSecret(), null, Map.of(), null, null, null, null,
                Signing.of(SigningMode.BOTH, Ed25519KeyPair.generate()),
                EventFilter.parse(Map.of("event", Map.of("$exists", true)), "filter"), null);
        Event event = new Event("evt_snapstart_priming", tenant, catalog.names().get(0), clock.instant(), Map.of());
        sample.accepts(Envelope.fields(event)); // loads the filter evaluator before the snapshot too
        sender.attempt(sample, event.id(), event.type(), Envelope.of(event), 1, true);
    }

    private CompletableFuture<Boolean> deadLetter(QueueMessage message, String reason, BatchReport report) {
        queues.deadLetter(message.body(), reason);
        report.deadLettered(message, reason);
        return CompletableFuture.completedFuture(true);
    }

    private CompletableFuture<Boolean> deliver(Event event, Tenants tenants, boolean redelivered, BatchReport report) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        CompletableFuture<Stored> stored = CompletableFuture.supplyAsync(() -> events.putIfAbsent(event.tenant(),
                event.id(), event.type(), Envelope.of(event), now, now.plus(retention)), executor);
        return stored.thenCombine(tenants.get(event.tenant()), (s, tenant) -> fanOut(event, s, tenant, redelivered, report))
                .thenCompose(f -> f);
    }

    private CompletableFuture<Boolean> fanOut(Event event, Stored stored, TenantView tenant, boolean redelivered,
            BatchReport report) {
        Map<String, String> firstAttempts = new LinkedHashMap<>();
        Map<String, Object> envelope = Envelope.fields(event);
        for (Webhook webhook : tenant.webhooks().values()) {
            // A disabled webhook gets a record of what it missed (so that recover finds it after
            // it is enabled again), except the announcement of its own disabling. An event its
            // filter refuses was never for it: no record, no write, nothing to recover.
            if (webhook.subscribesTo(event.type()) && webhook.accepts(envelope)
                    && (webhook.enabled() || !announcesDisablingOf(event, webhook))) {
                firstAttempts.put(webhook.id(), attemptId(event.tenant(), event.id(), webhook.id(), 1, stored.firstSeen()));
            }
        }
        // A new event has no records yet; one seen before may have some: read them in one call.
        Map<String, Dispatch> done = stored.first() ? Map.of() : dispatches.find(event.tenant(), firstAttempts);
        boolean leaseRuns = !stored.first() && stored.firstSeen().plus(lease).isAfter(clock.instant());
        List<CompletableFuture<Boolean>> deliveries = new ArrayList<>();
        for (Map.Entry<String, String> e : firstAttempts.entrySet()) {
            Webhook webhook = tenant.webhooks().get(e.getKey());
            Dispatch previous = done.get(webhook.id());
            if (previous != null) {
                deliveries.add(CompletableFuture.completedFuture(resume(previous, redelivered, report)));
            } else if (!webhook.enabled()) {
                notSent(webhook, event.id(), event.type(), 1, e.getValue(), stored.firstSeen());
                deliveries.add(CompletableFuture.completedFuture(true));
            } else if (leaseRuns) {
                report.leaseHeld(event.tenant(), event.id(), webhook.id(), stored.firstSeen().plus(lease));
                deliveries.add(CompletableFuture.completedFuture(false)); // maybe being sent right now: come back later
            } else {
                RetryTask delivery = new RetryTask(event.tenant(), event.id(), event.type(), webhook.id(), 1,
                        stored.firstSeen(), null);
                if (slowLane.diverts(webhook, tenant.testMode())) {
                    deliveries.add(slowLane.divert(delivery));
                    continue;
                }
                deliveries.add(rateLimits.submit(webhook, delivery, tenant.testMode(), () -> attempt(webhook, event.id(),
                        event.type(), stored.payload(), 1, e.getValue(), stored.firstSeen(), tenant.testMode(),
                        Dispatch.Trigger.EVENT, report, delivery, true)));
            }
        }
        return allSucceeded(deliveries);
    }

    private CompletableFuture<Boolean> retry(QueueMessage message, Tenants tenants, boolean redelivered,
            BatchReport report) {
        RetryTask task;
        try {
            task = RetryTask.fromJson(message.body());
        } catch (PoisonMessageException e) {
            return deadLetter(message, e.getMessage(), report);
        }
        Instant now = clock.instant();
        if (task.dueAt().isAfter(now.plusSeconds(1))) {
            // SQS delays stop at 15 minutes; longer waits hop through the queue again.
            queues.scheduleRetry(task, RetrySchedule.sqsDelaySeconds(Duration.between(now, task.dueAt())));
            return CompletableFuture.completedFuture(true);
        }
        return tenants.get(task.tenant()).thenCompose(tenant -> {
            Webhook webhook = tenant.webhooks().get(task.webhookId());
            if (webhook == null || !webhook.enabled()) {
                if (webhook != null && task.previousId() == null) {
                    // a first attempt held back by the rate limit: recorded as missed, like a new event's
                    notSent(webhook, task.eventId(), task.eventType(), task.attempt(),
                            attemptId(task.tenant(), task.eventId(), task.webhookId(), task.attempt(), task.dueAt()),
                            task.dueAt());
                } else {
                    dropRetry(task, "retry dropped: webhook " + (webhook == null ? "deleted" : "disabled"));
                }
                return CompletableFuture.completedFuture(true);
            }
            String id = attemptId(task.tenant(), task.eventId(), task.webhookId(), task.attempt(), task.dueAt());
            Dispatch made = dispatches.find(task.tenant(), Map.of(task.webhookId(), id)).get(task.webhookId());
            if (made != null) {
                return CompletableFuture.completedFuture(resume(made, redelivered, report));
            }
            if (!recovery.mayStart(task)) {
                return CompletableFuture.completedFuture(true); // another recover (or a resend) has this failure
            }
            boolean fastLane = !message.isSlowLane();
            if (fastLane && slowLane.diverts(webhook, tenant.testMode())) {
                return slowLane.divert(task); // before the payload read: the slow lane reads it
            }
            Optional<String> payload = events.payload(task.tenant(), task.eventId());
            if (payload.isEmpty()) {
                dropRetry(task, "retry dropped: event expired");
                return CompletableFuture.completedFuture(true);
            }
            return rateLimits.submit(webhook, task, tenant.testMode(), () -> attempt(webhook, task.eventId(),
                    task.eventType(), payload.get(), task.attempt(), id, task.dueAt(), tenant.testMode(), task.trigger(),
                    report, task, fastLane));
        });
    }

    /**
     * An attempt already recorded. A copy of the message that made it comes back only when the
     * worker failed after the record (the retry it then queues may be lost): queue that retry
     * again unless its attempt is recorded. Fresh duplicates leave the chain to its owner.
     */
    private boolean resume(Dispatch recorded, boolean redelivered, BatchReport report) {
        Dispatch d = recorded;
        while (redelivered && d.nextAttemptAt() != null) {
            String nextId = attemptId(d.tenant(), d.eventId(), d.webhookId(), d.attempt() + 1, d.nextAttemptAt());
            Dispatch next = dispatches.find(d.tenant(), Map.of(d.webhookId(), nextId)).get(d.webhookId());
            if (next == null) {
                scheduleRetry(d, report);
                return true;
            }
            d = next;
        }
        return true;
    }

    /** The attempt that scheduled the task says the retry will not come, after its own error. */
    private void dropRetry(RetryTask task, String reason) {
        if (task.previousId() == null) {
            return; // a first attempt held back by the rate limit: no earlier attempt to annotate
        }
        Dispatch previous = dispatches.find(task.tenant(), Map.of(task.webhookId(), task.previousId())).get(task.webhookId());
        if (previous != null) {
            dispatches.dropRetry(task.tenant(), task.webhookId(), task.previousId(),
                    previous.error() == null ? reason : previous.error() + "; " + reason);
        }
    }

    /**
     * An event a disabled webhook subscribes to: not sent, recorded as a final failure under the
     * attempt's computed id (written once however often the message comes), so that a recover
     * after the webhook is enabled again sends it. Not an attempt: endpoint health ignores it.
     */
    private void notSent(Webhook webhook, String eventId, String eventType, int attempt, String dispatchId,
            Instant createdAt) {
        dispatches.record(Sender.notSent(webhook, eventId, eventType, attempt, dispatchId, createdAt, NOT_SENT_DISABLED));
    }

    /** The {@code webhook.disabled} event about this very webhook: never sent to it, not even by a recover. */
    private static boolean announcesDisablingOf(Event event, Webhook webhook) {
        return EventTypeCatalog.DISABLED_EVENT.equals(event.type()) && event.data() != null
                && webhook.id().equals(event.data().get("webhookId"));
    }

    private static String attemptId(String tenant, String eventId, String webhookId, int attempt, Instant at) {
        return Ids.dispatchId(at, tenant, eventId, webhookId, Integer.toString(attempt));
    }

    /**
     * One attempt under its computed id; false when it must be tried again later. On the fast
     * lane a POST that runs too long is handed to the slow lane as {@code delivery} instead.
     */
    private boolean attempt(Webhook webhook, String eventId, String eventType, String payload, int attempt,
            String dispatchId, Instant createdAt, boolean testMode, Dispatch.Trigger trigger, BatchReport report,
            RetryTask delivery, boolean fastLane) {
        if (!report.mayStartAttempt()) {
            return false; // too little of the invocation left for a whole attempt: the message comes back
        }
        AttemptWatch watch = slowLane.watch(fastLane, testMode);
        Sender.Sent sent = sender.send(webhook, eventId, eventType, payload, attempt, testMode, dispatchId, createdAt);
        if (slowLane.handedOver(watch, webhook, delivery)) {
            return true; // made again, whole, on the slow lane; this POST left no record
        }
        Dispatch dispatch = sent.dispatch().withTrigger(trigger);
        boolean gone = false;
        if (dispatch.outcome() == Dispatch.Outcome.FAILED) {
            if (Integer.valueOf(410).equals(dispatch.statusCode())) {
                gone = true; // the receiver asked us to stop
            } else {
                // the webhook as read for this attempt: a schedule changed since applies from now on
                Optional<Duration> delay = webhook.retryScheduleOr(schedule).delayAfterAttempt(attempt);
                if (delay.isPresent()) {
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    Duration wait = RetryAfter.honouredFor(dispatch.statusCode())
                            ? RetryAfter.apply(delay.get(), RetryAfter.parse(sent.retryAfter(), now)) : delay.get();
                    dispatch = withNextAttempt(dispatch, now.plus(wait));
                }
            }
        }
        report.attempted(dispatch);
        if (!dispatches.record(dispatch)) {
            // Another worker made and recorded this attempt at the same moment: its outcome and
            // retry stand; ours is recorded apart so that every attempt is.
            dispatches.put(withId(dispatch, Ids.newId(Ids.DISPATCH)));
            return true;
        }
        slowLane.attempted(webhook, dispatch);
        if (dispatch.nextAttemptAt() != null) {
            scheduleRetry(dispatch, report);
        }
        if (gone) {
            autoDisable.gone(webhook);
        } else {
            autoDisable.recorded(webhook, dispatch);
        }
        return true;
    }

    private void scheduleRetry(Dispatch d, BatchReport report) {
        Duration delay = Duration.between(clock.instant(), d.nextAttemptAt());
        slowLane.scheduleRetry(queues, new RetryTask(d.tenant(), d.eventId(), d.eventType(), d.webhookId(), d.attempt() + 1,
                d.nextAttemptAt(), d.id(), d.trigger()), RetrySchedule.sqsDelaySeconds(delay.isNegative() ? Duration.ZERO : delay));
        report.retryScheduled();
    }

    private static Dispatch withNextAttempt(Dispatch d, Instant next) {
        return new Dispatch(d.id(), d.tenant(), d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(),
                d.outcome(), d.statusCode(), d.responseBody(), d.latencyMs(), d.error(), d.requestHeaders(),
                d.payload(), d.createdAt(), next, d.trigger());
    }

    /** The same attempt recorded apart, without a retry of its own. */
    private Dispatch withId(Dispatch d, String id) {
        return new Dispatch(id, d.tenant(), d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(),
                d.outcome(), d.statusCode(), d.responseBody(), d.latencyMs(), d.error(), d.requestHeaders(),
                d.payload(), clock.instant().truncatedTo(ChronoUnit.MILLIS), null, d.trigger());
    }

    private static CompletableFuture<Boolean> allSucceeded(List<CompletableFuture<Boolean>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().allMatch(CompletableFuture::join));
    }

    /** A tenant's webhooks and test-mode flag, read once per batch (strongly consistent). */
    private record TenantView(Map<String, Webhook> webhooks, boolean testMode) {}

    /** Each tenant read once per batch (its webhooks and test-mode flag side by side), holding up no other tenant. */
    private final class Tenants {
        private final Map<String, CompletableFuture<TenantView>> views = new ConcurrentHashMap<>();

        CompletableFuture<TenantView> get(String tenant) {
            return views.computeIfAbsent(tenant, t -> {
                CompletableFuture<Boolean> testMode = CompletableFuture.supplyAsync(() -> testModes.get(t).enabled(), executor);
                return CompletableFuture.supplyAsync(() -> {
                    Map<String, Webhook> byId = new LinkedHashMap<>();
                    webhooks.listAll(t).forEach(w -> byId.put(w.id(), w));
                    return byId;
                }, executor).thenCombine(testMode, TenantView::new);
            });
        }
    }
}
