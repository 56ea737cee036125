package com.astra.webhooks.jobs;

import java.util.Map;

/**
 * A message as the dispatcher receives it, whatever queue brought it. What it carries is read by
 * {@link JobCodec} alone.
 */
public record QueueMessage(String messageId, String body, Map<String, String> attributes, int receiveCount) {

    /** Whether SQS has handed this message out before (a worker failed or timed out on it). */
    public boolean redelivered() {
        return receiveCount > 1;
    }
}
