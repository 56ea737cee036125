package com.astra.webhooks.jobs;


/** What the dispatcher sends back to the queues. */
public interface Queues {

    /** Re-enqueues a retry on the events queue, visible after {@code delaySeconds} (at most 900, SQS's cap). */
    void scheduleRetry(RetryTask task, int delaySeconds);

    /**
     * Queues a delivery on the slow lane (see worker.SlowLane), visible after {@code delaySeconds}.
     * Without a slow lane it goes back on the events queue like any retry.
     */
    default void toSlowLane(RetryTask task, int delaySeconds) {
        scheduleRetry(task, delaySeconds);
    }

    /** Queues retry tasks (a recover's first attempts) on the events queue, ten per call, visible after {@code delaySeconds}. */
    void queueAll(java.util.List<RetryTask> tasks, int delaySeconds);

    /** Queues the next page of a recover on the events queue. */
    void continueRecovery(RecoveryPage page);

    /** Queues the next chunk of a test-mode log clear on the events queue. */
    void continueTestLogClear(TestLogClearChunk chunk);

    /** Puts an event of the service's own (e.g. webhook.disabled) on the events queue, as an agent would. */
    void publish(String message);

    /** Moves a message the dispatcher can never process to the dead-letter queue, with the reason. */
    void deadLetter(String body, String reason);
}
