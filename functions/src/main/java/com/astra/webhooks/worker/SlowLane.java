package com.astra.webhooks.worker;

import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * DESIGN.md "Isolation: no receiver slows another". A batch of the events queue takes as long
 * as its slowest delivery, and the event source runs only so many batches at once; so
 * deliveries to receivers that are recently slow ({@link ReceiverHealth}) are not made there:
 * they go, as retry tasks for the same attempt (same number, same dispatch id), to the slow
 * lane, a queue with its own event source and concurrency, where they get the full delivery
 * timeout. A receiver not yet known to be slow is found out by its first slow POST: after
 * the {@link #threshold} the watch takes the attempt away from the batch ({@link AttemptWatch}),
 * hands it to the slow lane and marks the webhook. Nothing waits past the threshold in the fast
 * lane, and nothing is left running when its batch returns (on Lambda nothing would run on).
 *
 * <p>A slow-lane attempt that answers in time clears the mark, and the webhook's next
 * deliveries take the normal path again. Retries of a receiver just found slow are queued on
 * the slow lane directly.
 */
public final class SlowLane {

    private final Queues queues;
    private final ReceiverHealth health;
    private final ScheduledExecutorService timers;

    private SlowLane(Queues queues, ReceiverHealth health, ScheduledExecutorService timers) {
        this.queues = queues;
        this.health = health;
        this.timers = timers;
    }

    /**
     * The slow lane over {@code queues} (whose {@link Queues#toSlowLane} reaches its queue), for
     * POSTs that run {@code threshold} or longer.
     */
    public static SlowLane over(Queues queues, WebhookStore webhooks, Duration threshold, Clock clock) {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "slow-lane-watch");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // a watch whose POST ended in time leaves nothing behind
        return new SlowLane(queues, new ReceiverHealth(webhooks, threshold, clock), timers);
    }

    /** No slow lane: every delivery is made where its message is, as long as it takes. */
    public static SlowLane none() {
        return new SlowLane(null, null, null);
    }

    /** The fast lane's patience: SLOW_AFTER_MS, or half the delivery timeout if that is shorter. */
    public static Duration threshold(Duration slowAfter, Duration deliveryTimeout) {
        Duration half = deliveryTimeout.dividedBy(2);
        return half.compareTo(slowAfter) < 0 ? half : slowAfter;
    }

    /** Whether a fast-lane delivery to {@code webhook} goes to the slow lane instead of being made here. */
    boolean diverts(Webhook webhook, boolean intercepted) {
        return health != null && !intercepted && health.isSlow(webhook);
    }

    /** Queues {@code delivery} on the slow lane; not an attempt, so its message counts as handled. */
    CompletableFuture<Boolean> divert(RetryTask delivery) {
        queues.toSlowLane(delivery, 0);
        return CompletableFuture.completedFuture(true);
    }

    /** A watch over the POST the calling thread is about to make, for a fast-lane attempt that sends. */
    AttemptWatch watch(boolean fastLane, boolean intercepted) {
        return health == null || !fastLane || intercepted ? AttemptWatch.NONE : AttemptWatch.start(timers, health.slowAfter());
    }

    /**
     * After the POST: false if the attempt keeps its outcome; true if the watch took it away, in
     * which case it is on the slow lane now (queued before this returns, so it survives the
     * batch's end) and the webhook is marked slow.
     */
    boolean handedOver(AttemptWatch watch, Webhook webhook, RetryTask delivery) {
        if (watch.keep()) {
            return false;
        }
        queues.toSlowLane(delivery, 0);
        health.slow(webhook);
        return true;
    }

    /** An attempt was recorded: its latency updates the webhook's health. */
    void attempted(Webhook webhook, Dispatch dispatch) {
        if (health != null) {
            health.attempted(webhook, dispatch);
        }
    }

    /** Queues a retry: on the slow lane when this worker just found the receiver slow, else on the events queue. */
    void scheduleRetry(Queues events, RetryTask task, int delaySeconds) {
        if (health != null && health.justFoundSlow(task.tenant(), task.webhookId())) {
            queues.toSlowLane(task, delaySeconds);
        } else {
            events.scheduleRetry(task, delaySeconds);
        }
    }
}
