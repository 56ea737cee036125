package com.astra.webhooks.worker;

/** What the dispatcher sends back to the queues. */
public interface Queues {

    /** Re-enqueues a retry on the events queue, visible after {@code delaySeconds} (at most 900, SQS's cap). */
    void scheduleRetry(RetryTask task, int delaySeconds);

    /** Moves a message the dispatcher can never process to the dead-letter queue, with the reason. */
    void deadLetter(String body, String reason);
}
