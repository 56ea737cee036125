package com.astra.webhooks.worker;

import com.astra.webhooks.dispatch.Envelope;
import com.astra.webhooks.jobs.IncomingEvent;
import com.astra.webhooks.jobs.OrderedDelivery;
import com.astra.webhooks.jobs.OrderedQueues;
import com.astra.webhooks.jobs.PoisonMessageException;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.OrderedEvent;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.EventStore.Stored;
import com.astra.webhooks.store.Sequences;
import com.astra.webhooks.worker.TenantReads.TenantView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first stage of ordered delivery: an event from the FIFO events queue becomes one message
 * per webhook it is for on the ordered stage, numbered with that webhook's next sequence for the
 * key. The FIFO queue hands out one batch of a key at a time, in order, so numbers are taken in
 * the order the queue accepted the events. Nothing is sent here; the payload is stored as for
 * any event. An event seen before skips the webhooks that already have its first attempt, so a
 * publish repeated after SQS's deduplication window sends nothing twice.
 */
final class OrderedFanOut {

    private final EventStore events;
    private final DispatchStore dispatches;
    private final Sequences sequences;
    private final OrderedQueues queues;
    private final EventTypeCatalog catalog;
    private final Duration retention;
    private final Clock clock;

    OrderedFanOut(EventStore events, DispatchStore dispatches, Sequences sequences, OrderedQueues queues,
            EventTypeCatalog catalog, Duration retention, Clock clock) {
        this.events = events;
        this.dispatches = dispatches;
        this.sequences = sequences;
        this.queues = queues;
        this.catalog = catalog;
        this.retention = retention;
        this.clock = clock;
    }

    /** One message of the FIFO events queue, done once it returns. */
    void handle(OrderedMessage message, TenantReads tenants) throws PoisonMessageException {
        OrderedEvent ordered = IncomingEvent.parseOrdered(message.body(), message.messageId(), catalog, clock);
        Event event = ordered.event();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = now.plus(retention);
        Stored stored = events.putIfAbsent(event.tenant(), event.id(), event.type(), Envelope.of(event), now, expiresAt);
        TenantView tenant = tenants.get(event.tenant()).join();
        Map<String, Object> envelope = Envelope.fields(event);
        Map<String, String> firstAttempts = new LinkedHashMap<>();
        for (Webhook webhook : tenant.webhooks().values()) {
            if (FanOut.isFor(event, envelope, webhook)) {
                firstAttempts.put(webhook.id(),
                        Attempts.attemptId(event.tenant(), event.id(), webhook.id(), 1, stored.firstSeen()));
            }
        }
        Map<String, Dispatch> started = stored.first() ? Map.of() : dispatches.find(event.tenant(), firstAttempts);
        List<OrderedDelivery> deliveries = new ArrayList<>();
        for (String webhookId : firstAttempts.keySet()) {
            if (started.containsKey(webhookId)) {
                continue; // this event already reached the ordered stage and was attempted there
            }
            long sequence = sequences.next(event.tenant(), webhookId, ordered.orderingKey(), event.id(), expiresAt);
            deliveries.add(new OrderedDelivery(event.tenant(), event.id(), event.type(), webhookId,
                    ordered.orderingKey(), sequence, stored.firstSeen()));
        }
        queues.stage(deliveries);
    }
}
