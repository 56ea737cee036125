package com.astra.webhooks.worker;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.OrderingHeaders;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A retry task from the queue: the next attempt of one delivery, or a first attempt the rate
 * limit held back. Dropped when its webhook is gone or disabled or its event expired; made
 * under its computed id otherwise, unless that attempt is already recorded.
 */
final class Retries {

    private final DispatcherContext context;
    private final Recovery recovery;
    private final RateLimitGate rateLimits;
    private final Attempts attempts;
    private final SlowLane slowLane;

    Retries(DispatcherContext context, Recovery recovery, RateLimitGate rateLimits, Attempts attempts,
            SlowLane slowLane) {
        this.context = context;
        this.recovery = recovery;
        this.rateLimits = rateLimits;
        this.attempts = attempts;
        this.slowLane = slowLane;
    }

    /** @param onSlowLane whether the task came through the slow lane's queue (then it is not diverted again) */
    CompletableFuture<Boolean> retry(RetryTask task, boolean onSlowLane, TenantReads tenants, boolean redelivered,
            BatchReport report) {
        Instant now = context.clock().instant();
        if (task.dueAt().isAfter(now.plusSeconds(1))) {
            // SQS delays stop at 15 minutes; longer waits hop through the queue again.
            context.queues().scheduleRetry(task, RetrySchedule.sqsDelaySeconds(Duration.between(now, task.dueAt())));
            return CompletableFuture.completedFuture(true);
        }
        return tenants.get(task.tenant()).thenCompose(tenant -> {
            Webhook webhook = tenant.webhooks().get(task.webhookId());
            if (webhook == null || !webhook.enabled()) {
                if (webhook != null && task.previousId() == null) {
                    // a first attempt held back by the rate limit: recorded as missed, like a new event's
                    attempts.notSent(webhook, task.eventId(), task.eventType(), task.attempt(),
                            Attempts.attemptId(task.tenant(), task.eventId(), task.webhookId(), task.attempt(),
                                    task.dueAt()),
                            task.dueAt());
                } else {
                    attempts.dropRetry(task, "retry dropped: webhook " + (webhook == null ? "deleted" : "disabled"));
                }
                return CompletableFuture.completedFuture(true);
            }
            String id = Attempts.attemptId(task.tenant(), task.eventId(), task.webhookId(), task.attempt(), task.dueAt());
            Dispatch made = context.dispatches().find(task.tenant(), Map.of(task.webhookId(), id)).get(task.webhookId());
            if (made != null) {
                return CompletableFuture.completedFuture(attempts.resume(made, redelivered, report));
            }
            if (!recovery.mayStart(task)) {
                return CompletableFuture.completedFuture(true); // another recover (or a resend) has this failure
            }
            boolean fastLane = !onSlowLane;
            if (fastLane && slowLane.diverts(webhook, tenant.testMode())) {
                return slowLane.divert(task); // before the payload read: the slow lane reads it
            }
            Optional<String> payload = context.events().payload(task.tenant(), task.eventId());
            if (payload.isEmpty()) {
                attempts.dropRetry(task, "retry dropped: event expired");
                return CompletableFuture.completedFuture(true);
            }
            // a recover of an ordered delivery repeats its key and number, but is not ordered: a manual repair
            Webhook sendAs = task.ordering() == null ? webhook
                    : OrderingHeaders.on(webhook, task.ordering().key(), task.ordering().sequence());
            return rateLimits.submit(webhook, task, tenant.testMode(), () -> attempts.attempt(sendAs, task.eventId(),
                    task.eventType(), payload.get(), task.attempt(), id, task.dueAt(), tenant.testMode(), task.trigger(),
                    report, task, fastLane));
        });
    }
}
