package com.astra.webhooks.jobs;

import java.util.List;

/** The FIFO side of the queues: the ordered stage and the FIFO events queue's dead letters. */
public interface OrderedQueues {

    /**
     * Queues deliveries on the ordered stage, in order: one message group per (webhook, tenant,
     * key), deduplicated per (event, webhook), so a fan-out repeated within SQS's five-minute
     * deduplication window queues nothing twice.
     */
    void stage(List<OrderedDelivery> deliveries);

    /**
     * Keeps a received message of the ordered stage invisible for {@code seconds} (0: visible
     * again at once), and with it the rest of its message group.
     */
    void hold(String receiptHandle, int seconds);

    /**
     * Moves a message of the FIFO events queue (or, never expected, a malformed one of the
     * ordered stage) to the FIFO dead-letter queue, in its message group, with the reason.
     */
    void deadLetter(String body, String reason, String groupId);
}
