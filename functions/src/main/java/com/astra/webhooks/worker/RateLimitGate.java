package com.astra.webhooks.worker;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds a delivery to a webhook with a {@code rateLimit} until the send slot the shared
 * {@link RateLimiter} gives it (DESIGN.md "Receiver controls"). A webhook without a limit goes
 * straight through: no read, no write.
 *
 * <p>One reservation per delivery, however long its wait (unless it comes to its slot more than
 * {@link #LATE} late, see there): a slot within {@link #NEAR} is waited
 * for on a timer (no pool thread is held, so the other webhooks of the event and batch go on);
 * a later slot puts the delivery back on the queue as a retry-like task carrying the slot, with
 * a delay that brings it back shortly before the slot (hopping every 15 minutes if it is further
 * off). It is not an attempt and not a failure: the message counts as handled, and the task's
 * attempt number and dispatch id are those of the delivery it holds. A large backlog therefore
 * costs one write and, per 15 minutes of wait, one queue message per delivery; nothing spins.
 */
public final class RateLimitGate {

    /** The longest wait spent inside an invocation; a delivery is held on the queue when its slot is further. */
    static final Duration NEAR = Duration.ofSeconds(2);

    /**
     * How late a delivery may start on its slot. A later one (its message came back behind a
     * backlog, or the pool was busy) reserves a new slot: sent at once, it would crowd the
     * seconds whose slots went to others. With slots 1/limit apart, starting up to 50 ms late
     * puts at most {@code limit × 1.05} sends in any second.
     */
    static final Duration LATE = Duration.ofMillis(50);

    private final RateLimiter limiter;
    private final Queues queues;
    private final Clock clock;
    private final Executor executor;
    private final Map<String, Object> reserving = new ConcurrentHashMap<>();

    public RateLimitGate(RateLimiter limiter, Queues queues, Clock clock, Executor executor) {
        this.limiter = limiter;
        this.queues = queues;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * Runs {@code send} (on the executor) when the webhook's limit allows; {@code delivery}
     * describes it in case it must wait on the queue. {@code intercepted}: test mode sends nothing,
     * so it is not limited. Completes with {@code send}'s result, or true when held on the queue.
     */
    public CompletableFuture<Boolean> submit(Webhook webhook, RetryTask delivery, boolean intercepted,
            Supplier<Boolean> send) {
        if (webhook.rateLimit() == null || intercepted) {
            return CompletableFuture.supplyAsync(send, executor);
        }
        return CompletableFuture.supplyAsync(() -> hold(webhook, delivery, send), executor).thenCompose(f -> f);
    }

    private CompletableFuture<Boolean> hold(Webhook webhook, RetryTask delivery, Supplier<Boolean> send) {
        Instant slot = delivery.slot();
        if (slot == null || clock.instant().isAfter(slot.plus(LATE))) {
            slot = reserve(webhook);
        }
        Duration wait = Duration.between(clock.instant(), slot);
        RetryTask reserved = delivery.withSlot(slot);
        if (wait.compareTo(NEAR) > 0) {
            queues.scheduleRetry(reserved, queueDelaySeconds(wait));
            return CompletableFuture.completedFuture(true);
        }
        if (wait.isNegative() || wait.isZero()) {
            return CompletableFuture.completedFuture(send.get());
        }
        // Checked again when the timer fires: a busy pool may have started it late.
        return CompletableFuture.supplyAsync(() -> hold(webhook, reserved, send),
                CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, executor)).thenCompose(f -> f);
    }

    /**
     * One reservation at a time per webhook in this container, with the time read inside: the
     * deliveries of a batch reserve together, and racing each other on one item most would fail
     * their condition and write again (DynamoDB charges a failed conditional write too).
     */
    private Instant reserve(Webhook webhook) {
        synchronized (reserving.computeIfAbsent(webhook.tenant() + "#" + webhook.id(), k -> new Object())) {
            return limiter.reserve(webhook.tenant(), webhook.id(), webhook.rateLimit(), clock.instant());
        }
    }

    /**
     * Brings a held delivery back 1–2 s before its slot (within {@link #NEAR}), so that queue
     * latency makes it wait on the timer rather than send late, bunched with the next second's.
     */
    static int queueDelaySeconds(Duration wait) {
        long seconds = Math.max(1, wait.toSeconds() - 1);
        return (int) Math.min(seconds, RetrySchedule.SQS_MAX_DELAY.toSeconds());
    }
}
