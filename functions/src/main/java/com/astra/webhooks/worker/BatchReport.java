package com.astra.webhooks.worker;

import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.observability.BatchMetrics;
import com.astra.webhooks.observability.JsonLog;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What one batch did, told to operators, and how much of its invocation is left. The dispatcher
 * calls it at a few points (an attempt made or not started, a retry queued, a message
 * dead-lettered or handed back); it writes one JSON log line per failed or blocked attempt and
 * per dead-lettered message, one line for the batch, and the batch's EMF metrics record.
 *
 * <p>What it logs is ids, counts, outcomes, status codes and the dispatch's one-line error: never
 * a URL (it may carry a token in its query), a header, a secret or a payload. May be fed from
 * many delivery threads at once.
 */
public final class BatchReport {

    private final JsonLog log;
    private final BatchMetrics.Batch metrics;
    private final LongSupplier remainingMillis;
    private final long reserveMillis;
    private final Clock clock;
    private final Instant started;
    private final LongAdder deferred = new LongAdder();

    /**
     * @param remainingMillis what is left of the invocation, read before each attempt
     * @param reserveMillis what one more attempt needs: a delivery timeout plus its writes
     */
    BatchReport(JsonLog log, BatchMetrics.Batch metrics, LongSupplier remainingMillis, long reserveMillis, Clock clock) {
        this.log = log;
        this.metrics = metrics;
        this.remainingMillis = remainingMillis;
        this.reserveMillis = reserveMillis;
        this.clock = clock;
        this.started = clock.instant();
    }

    /**
     * Whether an attempt may start now: only while the invocation can still hold a whole one,
     * its timeout and its record, so that no attempt is cut off between its POST and its record.
     * An attempt not started leaves its message to come back.
     */
    boolean mayStartAttempt() {
        if (remainingMillis.getAsLong() >= reserveMillis) {
            return true;
        }
        deferred.increment();
        log.warn("attempt deferred")
                .with("reason", "too little of the invocation left for a whole attempt; the message comes back")
                .with("remainingMs", remainingMillis.getAsLong())
                .write();
        return false;
    }

    /**
     * An event seen before whose first worker may be sending it right now: its message comes back
     * after the visibility timeout rather than risk a second POST.
     */
    void leaseHeld(String tenant, String eventId, String webhookId, Instant leaseEnds) {
        log.warn("message will be retried")
                .with("tenant", tenant)
                .with("eventId", eventId)
                .with("webhookId", webhookId)
                .with("reason", "another worker took the event up and its lease runs until " + leaseEnds
                        + "; no record of this webhook's attempt yet")
                .write();
    }

    void attempted(Dispatch d) {
        switch (d.outcome()) {
            case DELIVERED -> {
                metrics.delivered(d.latencyMs());
            }
            case INTERCEPTED -> {
                metrics.intercepted();
            }
            case FAILED -> {
                boolean refused = d.statusCode() == null && TargetGuard.BLOCKED.equals(d.error());
                if (refused) {
                    metrics.blocked();
                } else {
                    metrics.failed(d.latencyMs());
                }
                log.warn(refused ? "attempt blocked" : "attempt failed")
                        .with("tenant", d.tenant())
                        .with("eventId", d.eventId())
                        .with("webhookId", d.webhookId())
                        .with("dispatchId", d.id())
                        .with("attempt", d.attempt())
                        .with("outcome", refused ? "blocked" : d.outcome().wire())
                        .with("statusCode", d.statusCode())
                        .with("latencyMs", d.latencyMs())
                        .with("error", d.error())
                        .with("nextAttemptAt", d.nextAttemptAt())
                        .write();
            }
        }
    }

    void retryScheduled() {
        metrics.retryScheduled();
    }

    /** The reason is the dispatcher's own sentence about the message, never its body. */
    void deadLettered(QueueMessage message, String reason) {
        metrics.deadLettered();
        log.error("message dead-lettered")
                .with("messageId", message.messageId())
                .with("receiveCount", message.receiveCount())
                .with("outcome", "dead-lettered")
                .with("reason", reason)
                .write();
    }

    /** Work of a message could not be done (a store or queue call failed); SQS brings it back. */
    void handedBack(String messageId, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        log.warn("message will be retried")
                .with("messageId", messageId)
                .with("reason", "a store or queue call failed after the SDK's retries")
                .with("errorType", root.getClass().getSimpleName())
                .with("errorMessage", root.getMessage())
                .write();
    }

    /** The batch's metrics record, then its one line. */
    void finish(int messages, int messagesHandedBack) {
        long duration = Math.max(0, clock.millis() - started.toEpochMilli());
        metrics.finish(); // first, so that the batch line is the batch's last record
        Map<String, Long> counts = metrics.counts();
        JsonLog.Entry line = log.info("batch done")
                .with("messages", messages)
                .with("deliveries", counts.get(BatchMetrics.DELIVERED) + counts.get(BatchMetrics.FAILED)
                        + counts.get(BatchMetrics.INTERCEPTED) + counts.get(BatchMetrics.BLOCKED));
        // The metric names, lower-camel: delivered, failed, ..., retriesScheduled.
        counts.forEach((name, count) -> line.with(Character.toLowerCase(name.charAt(0)) + name.substring(1), count));
        line.with("attemptsDeferred", deferred.sum())
                .with("messagesHandedBack", messagesHandedBack)
                .with("durationMs", duration)
                .write();
    }
}
