package com.astra.webhooks.worker;

import com.astra.webhooks.dispatch.Envelope;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.EventStore.Stored;
import com.astra.webhooks.worker.TenantReads.TenantView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An agent's event to the webhooks it is for. Before the first attempts nothing is written but
 * the payload, and that write tells whether the event is new; only for an event seen before are
 * the records of its first attempts read, to skip the webhooks that have one. A webhook without
 * one while the first worker's lease runs makes the copy wait (SQS brings it back); after it,
 * the webhook is sent to.
 */
final class FanOut {

    private final DispatcherContext context;
    private final SlowLane slowLane;
    private final RateLimitGate rateLimits;
    private final Attempts attempts;

    FanOut(DispatcherContext context, SlowLane slowLane, RateLimitGate rateLimits, Attempts attempts) {
        this.context = context;
        this.slowLane = slowLane;
        this.rateLimits = rateLimits;
        this.attempts = attempts;
    }

    /**
     * Writes the payloads of a batch's events (distinct ones) in one go: the store may make it
     * one call instead of one per event. The answers come in the same order.
     */
    CompletableFuture<List<Stored>> store(List<Event> events) {
        Instant now = context.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        List<EventStore.NewEvent> payloads = events.stream()
                .map(e -> new EventStore.NewEvent(e.tenant(), e.id(), e.type(), Envelope.of(e))).toList();
        return CompletableFuture.supplyAsync(() -> context.events().putAllIfAbsent(payloads, now,
                now.plus(context.retention())), context.executor());
    }

    /** The event to its webhooks, once {@code stored} tells whether it is new ({@link #store}). */
    CompletableFuture<Boolean> deliver(Event event, CompletableFuture<Stored> stored, TenantReads tenants,
            boolean redelivered, BatchReport report) {
        return stored.thenCombine(tenants.get(event.tenant()), (s, tenant) -> fanOut(event, s, tenant, redelivered, report))
                .thenCompose(f -> f);
    }

    private CompletableFuture<Boolean> fanOut(Event event, Stored stored, TenantView tenant, boolean redelivered,
            BatchReport report) {
        Map<String, String> firstAttempts = new LinkedHashMap<>();
        Map<String, Object> envelope = Envelope.fields(event);
        for (Webhook webhook : tenant.webhooks().values()) {
            if (isFor(event, envelope, webhook)) {
                firstAttempts.put(webhook.id(),
                        Attempts.attemptId(event.tenant(), event.id(), webhook.id(), 1, stored.firstSeen()));
            }
        }
        // A new event has no records yet; one seen before may have some: read them in one call.
        Map<String, Dispatch> done = stored.first() ? Map.of() : context.dispatches().find(event.tenant(), firstAttempts);
        Instant leaseEnds = stored.firstSeen().plus(context.lease());
        boolean leaseRuns = !stored.first() && leaseEnds.isAfter(context.clock().instant());
        List<CompletableFuture<Boolean>> deliveries = new ArrayList<>();
        for (Map.Entry<String, String> e : firstAttempts.entrySet()) {
            Webhook webhook = tenant.webhooks().get(e.getKey());
            Dispatch previous = done.get(webhook.id());
            if (previous != null) {
                deliveries.add(CompletableFuture.completedFuture(attempts.resume(previous, redelivered, report)));
            } else if (!webhook.enabled()) {
                attempts.notSent(webhook, event.id(), event.type(), 1, e.getValue(), stored.firstSeen());
                deliveries.add(CompletableFuture.completedFuture(true));
            } else if (leaseRuns) {
                report.leaseHeld(event.tenant(), event.id(), webhook.id(), leaseEnds);
                deliveries.add(CompletableFuture.completedFuture(false)); // maybe being sent right now: come back later
            } else {
                RetryTask delivery = new RetryTask(event.tenant(), event.id(), event.type(), webhook.id(), 1,
                        stored.firstSeen(), null);
                if (slowLane.diverts(webhook, tenant.testMode())) {
                    deliveries.add(slowLane.divert(delivery));
                    continue;
                }
                deliveries.add(rateLimits.submit(webhook, delivery, tenant.testMode(), () -> attempts.attempt(webhook,
                        event.id(), event.type(), stored.payload(), 1, e.getValue(), stored.firstSeen(),
                        tenant.testMode(), Dispatch.Trigger.EVENT, report, delivery, true)));
            }
        }
        return allSucceeded(deliveries);
    }

    /**
     * Whether the event is for the webhook. A disabled webhook gets a record of what it missed
     * (so that recover finds it after it is enabled again), except the announcement of its own
     * disabling. An event its filter refuses was never for it: no record, no write, nothing to
     * recover.
     */
    static boolean isFor(Event event, Map<String, Object> envelope, Webhook webhook) {
        return webhook.subscribesTo(event.type()) && webhook.accepts(envelope)
                && (webhook.enabled() || !announcesDisablingOf(event, webhook));
    }

    /** The {@code webhook.disabled} event about this very webhook: never sent to it, not even by a recover. */
    private static boolean announcesDisablingOf(Event event, Webhook webhook) {
        return EventTypeCatalog.DISABLED_EVENT.equals(event.type()) && event.data() != null
                && webhook.id().equals(event.data().get("webhookId"));
    }

    private static CompletableFuture<Boolean> allSucceeded(List<CompletableFuture<Boolean>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().allMatch(CompletableFuture::join));
    }
}
