package com.astra.webhooks.worker;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.Envelope;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DeliveryStateStore;
import com.astra.webhooks.store.DeliveryStateStore.Claim;
import com.astra.webhooks.store.DeliveryStateStore.State;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * on the executor, so a batch takes about as long as its slowest receiver. A message is
 * reported failed only if some of its work could not be done (storage or queue down, or a
 * copy of it is being sent by another worker right now); SQS then brings it back, and the
 * conditional claims make sure no receiver that already got it gets it again.
 */
public final class Dispatcher {

    private final WebhookStore webhooks;
    private final EventStore events;
    private final DeliveryStateStore states;
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

    public Dispatcher(WebhookStore webhooks, EventStore events, DeliveryStateStore states, DispatchStore dispatches,
            TestModeStore testModes, Queues queues, Sender sender, RetrySchedule schedule, EventTypeCatalog catalog,
            Clock clock, Duration retention, Duration lease, ExecutorService executor,
            SecretExpiryHandler secretExpiries) {
        this.webhooks = webhooks;
        this.events = events;
        this.states = states;
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
    }

    /** Processes the batch and returns the ids of the messages to be tried again. */
    public Set<String> process(List<QueueMessage> batch) {
        Tenants tenants = new Tenants();
        // Copies of one event in one batch are sent once; every copy shares the outcome.
        Map<String, List<String>> copies = new LinkedHashMap<>();
        Map<String, CompletableFuture<Boolean>> work = new LinkedHashMap<>();
        for (QueueMessage message : batch) {
            String key;
            Supplier<CompletableFuture<Boolean>> job;
            if (message.isRetry()) {
                key = "retry:" + message.messageId();
                job = () -> retry(message, tenants);
            } else if (message.isSecretExpiry()) {
                key = "secret-expiry:" + message.messageId();
                job = () -> CompletableFuture.completedFuture(secretExpiries.handle(message));
            } else {
                try {
                    Event event = IncomingEvent.parse(message.body(), catalog, clock);
                    key = "event:" + event.tenant() + "\u0000" + event.id();
                    job = () -> deliver(event, tenants);
                } catch (PoisonMessageException e) {
                    key = "poison:" + message.messageId();
                    job = () -> deadLetter(message, e.getMessage());
                }
            }
            copies.computeIfAbsent(key, k -> new ArrayList<>()).add(message.messageId());
            Supplier<CompletableFuture<Boolean>> once = job;
            work.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(once, executor)
                    .thenCompose(f -> f)
                    .exceptionally(e -> {
                        log("message " + message.messageId() + " will be retried: " + rootCause(e));
                        return false;
                    }));
        }
        Set<String> failed = new HashSet<>();
        work.forEach((key, future) -> {
            if (!future.join()) {
                failed.addAll(copies.get(key));
            }
        });
        return failed;
    }

    /**
     * Runs the read and signing paths of a delivery for a tenant that has no webhooks, sending
     * and storing nothing: a warm-up before a SnapStart snapshot.
     */
    public void warmUp(String tenant) {
        new Tenants().get(tenant);
        events.payload(tenant, "evt_snapstart_priming");
        Webhook sample = new Webhook("wh_00000000000000000000000000", tenant, "https://example.invalid/",
                List.of(Webhook.ALL_EVENTS), null, true, clock.instant(), clock.instant(),
                com.astra.webhooks.core.signing.WebhookSigner.newSecret());
        Event event = new Event("evt_snapstart_priming", tenant, catalog.names().get(0), clock.instant(), Map.of());
        sender.attempt(sample, event.id(), event.type(), Envelope.of(event), 1, true);
    }

    private CompletableFuture<Boolean> deadLetter(QueueMessage message, String reason) {
        queues.deadLetter(message.body(), reason);
        return CompletableFuture.completedFuture(true);
    }

    private CompletableFuture<Boolean> deliver(Event event, Tenants tenants) {
        String payload = events.putIfAbsent(event.tenant(), event.id(), event.type(), Envelope.of(event),
                clock.instant().plus(retention));
        TenantView tenant = tenants.get(event.tenant());
        List<CompletableFuture<Boolean>> deliveries = new ArrayList<>();
        for (Webhook webhook : tenant.webhooks().values()) {
            if (webhook.enabled() && webhook.subscribesTo(event.type())) {
                deliveries.add(CompletableFuture.supplyAsync(
                        () -> attempt(webhook, event.id(), event.type(), payload, 1, tenant.testMode()), executor));
            }
        }
        return allSucceeded(deliveries);
    }

    private CompletableFuture<Boolean> retry(QueueMessage message, Tenants tenants) {
        RetryTask task;
        try {
            task = RetryTask.fromJson(message.body());
        } catch (PoisonMessageException e) {
            return deadLetter(message, e.getMessage());
        }
        Instant now = clock.instant();
        if (task.dueAt().isAfter(now.plusSeconds(1))) {
            // SQS delays stop at 15 minutes; longer waits hop through the queue again.
            queues.scheduleRetry(task, RetrySchedule.sqsDelaySeconds(Duration.between(now, task.dueAt())));
            return CompletableFuture.completedFuture(true);
        }
        TenantView tenant = tenants.get(task.tenant());
        Webhook webhook = tenant.webhooks().get(task.webhookId());
        if (webhook == null || !webhook.enabled()) {
            return CompletableFuture.completedFuture(true); // deleted or disabled since: the retry is dropped
        }
        Optional<String> payload = events.payload(task.tenant(), task.eventId());
        if (payload.isEmpty()) {
            return CompletableFuture.completedFuture(true); // past retention
        }
        return CompletableFuture.completedFuture(
                attempt(webhook, task.eventId(), task.eventType(), payload.get(), task.attempt(), tenant.testMode()));
    }

    /** One attempt, owned through a conditional claim; false when it must be tried again later. */
    private boolean attempt(Webhook webhook, String eventId, String eventType, String payload, int attempt,
            boolean testMode) {
        String tenant = webhook.tenant();
        Instant now = clock.instant();
        Claim claim = states.claim(tenant, eventId, webhook.id(), attempt, now, now.plus(lease), now.plus(retention));
        if (claim == Claim.DONE) {
            return true;
        }
        if (claim == Claim.BUSY) {
            return false;
        }
        Dispatch dispatch = sender.attempt(webhook, eventId, eventType, payload, attempt, testMode);
        State finalState;
        Optional<Duration> delay = Optional.empty();
        if (dispatch.outcome() == Dispatch.Outcome.INTERCEPTED) {
            finalState = State.INTERCEPTED;
        } else if (dispatch.outcome() == Dispatch.Outcome.DELIVERED) {
            finalState = State.DELIVERED;
        } else if (Integer.valueOf(410).equals(dispatch.statusCode())) {
            finalState = State.FAILED; // the receiver asked us to stop
            disable(webhook);
        } else {
            delay = schedule.delayAfterAttempt(attempt);
            finalState = delay.isPresent() ? State.WAITING : State.FAILED;
        }
        if (delay.isPresent()) {
            Instant due = dispatch.createdAt().plus(delay.get());
            dispatch = withNextAttempt(dispatch, due);
            dispatches.put(dispatch);
            queues.scheduleRetry(new RetryTask(tenant, eventId, eventType, webhook.id(), attempt + 1, due),
                    RetrySchedule.sqsDelaySeconds(delay.get()));
        } else {
            dispatches.put(dispatch);
        }
        states.finish(tenant, eventId, webhook.id(), attempt, finalState);
        return true;
    }

    private void disable(Webhook w) {
        webhooks.disable(w.tenant(), w.id(), Webhook.GONE_REASON, clock.instant());
    }

    private static Dispatch withNextAttempt(Dispatch d, Instant next) {
        return new Dispatch(d.id(), d.tenant(), d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(),
                d.outcome(), d.statusCode(), d.responseBody(), d.latencyMs(), d.error(), d.requestHeaders(),
                d.payload(), d.createdAt(), next);
    }

    private static CompletableFuture<Boolean> allSucceeded(List<CompletableFuture<Boolean>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().allMatch(CompletableFuture::join));
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void log(String line) {
        System.err.println("[dispatcher] " + line);
    }

    /** A tenant's webhooks and test-mode flag, read once per batch (strongly consistent). */
    private record TenantView(Map<String, Webhook> webhooks, boolean testMode) {}

    private final class Tenants {
        private final Map<String, TenantView> views = new ConcurrentHashMap<>();

        TenantView get(String tenant) {
            return views.computeIfAbsent(tenant, t -> {
                Map<String, Webhook> byId = new LinkedHashMap<>();
                webhooks.listAll(t).forEach(w -> byId.put(w.id(), w));
                return new TenantView(byId, testModes.get(t).enabled());
            });
        }
    }
}
