package com.astra.webhooks.worker;

import com.astra.webhooks.dispatch.OrderingHeaders;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.jobs.OrderedDelivery;
import com.astra.webhooks.jobs.OrderedQueues;
import com.astra.webhooks.jobs.PoisonMessageException;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.worker.TenantReads.TenantView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The second stage of ordered delivery: one message per (event, webhook), grouped per (webhook,
 * key) on a FIFO queue, so that the next event of a key at a webhook is handed out only once the
 * message before it is deleted. A message is deleted when its delivery is over: delivered,
 * intercepted (test mode), failed for good, or not sent because the webhook is disabled, deleted
 * or the event expired (each recorded where a record can be). A failed attempt with retries left
 * is recorded with its next attempt's time, and its message is kept invisible until then
 * (ChangeMessageVisibility, at most 12 hours at a time), which holds the key at this webhook
 * only. Which attempt is next is read from the records of the attempts under their computed ids,
 * so any copy of the message, at any time, continues the delivery where it is.
 */
final class OrderedLane {

    /** Not done: keep the message invisible this long (0: let it come back at once). */
    record Hold(int seconds) {}

    private final EventStore events;
    private final DispatchStore dispatches;
    private final OrderedQueues queues;
    private final Attempts attempts;
    private final Clock clock;

    OrderedLane(EventStore events, DispatchStore dispatches, OrderedQueues queues, Attempts attempts, Clock clock) {
        this.events = events;
        this.dispatches = dispatches;
        this.queues = queues;
        this.attempts = attempts;
        this.clock = clock;
    }

    /** One message of the ordered stage; true when it is done, else it is held until its retry. */
    boolean handle(OrderedMessage message, TenantReads tenants, BatchReport report) throws PoisonMessageException {
        OrderedDelivery delivery = OrderedDelivery.fromJson(message.body());
        Optional<Hold> hold = deliver(delivery, tenants.get(delivery.tenant()).join(), report);
        hold.ifPresent(h -> queues.hold(message.receiptHandle(), h.seconds()));
        return hold.isEmpty();
    }

    /** Empty when the delivery is over; else how long its message waits. */
    Optional<Hold> deliver(OrderedDelivery d, TenantView tenant, BatchReport report) {
        // Find the attempt that is next: follow the recorded chain from the first attempt.
        Dispatch last = null;
        int attempt = 1;
        Instant due = d.firstSeen();
        while (true) {
            String id = Attempts.attemptId(d.tenant(), d.eventId(), d.webhookId(), attempt, due);
            Dispatch recorded = dispatches.find(d.tenant(), Map.of(d.webhookId(), id)).get(d.webhookId());
            if (recorded == null) {
                break;
            }
            if (recorded.nextAttemptAt() == null) {
                return Optional.empty(); // delivered, intercepted, or failed for good: the key moves on
            }
            last = recorded;
            attempt = recorded.attempt() + 1;
            due = recorded.nextAttemptAt();
        }
        String id = Attempts.attemptId(d.tenant(), d.eventId(), d.webhookId(), attempt, due);
        Webhook webhook = tenant.webhooks().get(d.webhookId());
        if (webhook == null || !webhook.enabled()) {
            // A deleted or disabled webhook releases its keys: what it missed is recorded (a
            // recover after enabling it sends it), and the next event of the key follows at once.
            endUnsent(d, webhook, last, attempt, id, due, webhook == null ? "deleted" : "disabled");
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (due.isAfter(now)) {
            return Optional.of(until(due, now)); // a retry not yet due: back to sleep (a hop past the 12-hour cap)
        }
        Optional<String> payload = events.payload(d.tenant(), d.eventId());
        if (payload.isEmpty()) {
            endUnsent(d, webhook, last, attempt, id, due, "expired");
            return Optional.empty();
        }
        Dispatch made = attempts.attemptInOrder(OrderingHeaders.on(webhook, d.orderingKey(), d.sequence()),
                d.eventId(), d.eventType(), payload.get(), attempt, id, due, tenant.testMode(), report);
        if (made == null) {
            return Optional.of(new Hold(0)); // not made here (no time left, or made elsewhere): look again
        }
        if (made.nextAttemptAt() == null) {
            return Optional.empty();
        }
        report.retryScheduled();
        return Optional.of(until(made.nextAttemptAt(), clock.instant()));
    }

    private void endUnsent(OrderedDelivery d, Webhook webhook, Dispatch last, int attempt, String id, Instant due,
            String why) {
        if (last != null) {
            attempts.dropRetry(new RetryTask(d.tenant(), d.eventId(), d.eventType(), d.webhookId(), attempt, due,
                    last.id()), "retry dropped: " + (why.equals("expired") ? "event expired" : "webhook " + why));
        } else if (webhook != null) {
            String error = why.equals("expired") ? "not sent: event expired" : Dispatcher.NOT_SENT_DISABLED;
            dispatches.record(OrderingHeaders.onRecord(
                    Sender.notSent(webhook, d.eventId(), d.eventType(), attempt, id, due, error),
                    d.orderingKey(), d.sequence()));
        }
        // a deleted webhook's records go with it: nothing to write
    }

    private static Hold until(Instant at, Instant now) {
        long millis = Duration.between(now, at).toMillis();
        return new Hold((int) Math.min(Integer.MAX_VALUE, Math.max(0, (millis + 999) / 1000)));
    }
}
