package com.astra.webhooks.worker;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Making and recording one attempt under its computed id, and what follows from the record: the
 * next attempt queued, an attempt already recorded resumed, a missed event recorded as not sent.
 */
final class Attempts {

    private final DispatchStore dispatches;
    private final Queues queues;
    private final Sender sender;
    private final SlowLane slowLane;
    private final AttemptOutcome outcome;
    private final Clock clock;

    Attempts(DispatcherContext context, SlowLane slowLane, AttemptOutcome outcome) {
        this.dispatches = context.dispatches();
        this.queues = context.queues();
        this.sender = context.sender();
        this.slowLane = slowLane;
        this.outcome = outcome;
        this.clock = context.clock();
    }

    static String attemptId(String tenant, String eventId, String webhookId, int attempt, Instant at) {
        return Ids.dispatchId(at, tenant, eventId, webhookId, Integer.toString(attempt));
    }

    /**
     * One attempt under its computed id; false when it must be tried again later. On the fast
     * lane a POST that runs too long is handed to the slow lane as {@code delivery} instead.
     */
    boolean attempt(Webhook webhook, String eventId, String eventType, String payload, int attempt,
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
        AttemptOutcome.Judged judged = outcome.judge(webhook, sent, attempt, trigger);
        Dispatch dispatch = judged.dispatch();
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
        outcome.recorded(webhook, judged);
        return true;
    }

    /**
     * One attempt of an ordered delivery, made and recorded like any other, except that its
     * retry is not queued: the ordered stage keeps its message until the retry is due, which
     * holds the rest of its key (see {@link OrderedLane}). The slow lane does not take it, as
     * moving it would let later events of the key overtake it. Returns the recorded attempt,
     * or null when none was made (too little time left) or another worker recorded it first.
     */
    Dispatch attemptInOrder(Webhook webhook, String eventId, String eventType, String payload, int attempt,
            String dispatchId, Instant createdAt, boolean testMode, BatchReport report) {
        if (!report.mayStartAttempt()) {
            return null;
        }
        Sender.Sent sent = sender.send(webhook, eventId, eventType, payload, attempt, testMode, dispatchId, createdAt);
        AttemptOutcome.Judged judged = outcome.judge(webhook, sent, attempt, Dispatch.Trigger.EVENT);
        report.attempted(judged.dispatch());
        if (!dispatches.record(judged.dispatch())) {
            dispatches.put(withId(judged.dispatch(), Ids.newId(Ids.DISPATCH)));
            return null;
        }
        outcome.recorded(webhook, judged);
        return judged.dispatch();
    }

    /**
     * An attempt already recorded. A copy of the message that made it comes back only when the
     * worker failed after the record (the retry it then queues may be lost): queue that retry
     * again unless its attempt is recorded. Fresh duplicates leave the chain to its owner.
     */
    boolean resume(Dispatch recorded, boolean redelivered, BatchReport report) {
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
    void dropRetry(RetryTask task, String reason) {
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
    void notSent(Webhook webhook, String eventId, String eventType, int attempt, String dispatchId,
            Instant createdAt) {
        dispatches.record(Sender.notSent(webhook, eventId, eventType, attempt, dispatchId, createdAt,
                Dispatcher.NOT_SENT_DISABLED));
    }

    private void scheduleRetry(Dispatch d, BatchReport report) {
        Duration delay = Duration.between(clock.instant(), d.nextAttemptAt());
        slowLane.scheduleRetry(queues, new RetryTask(d.tenant(), d.eventId(), d.eventType(), d.webhookId(), d.attempt() + 1,
                d.nextAttemptAt(), d.id(), d.trigger(), null, null, RetryTask.Ordering.sentWith(d.requestHeaders())),
                RetrySchedule.sqsDelaySeconds(delay.isNegative() ? Duration.ZERO : delay));
        report.retryScheduled();
    }

    /** The same attempt recorded apart, without a retry of its own. */
    private Dispatch withId(Dispatch d, String id) {
        return new Dispatch(id, d.tenant(), d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(),
                d.outcome(), d.statusCode(), d.responseBody(), d.latencyMs(), d.error(), d.requestHeaders(),
                d.payload(), clock.instant().truncatedTo(ChronoUnit.MILLIS), null, d.trigger());
    }
}
