package com.astra.webhooks.worker;

import java.util.Map;

/** A message as the dispatcher needs it, whatever queue brought it. */
public record QueueMessage(String messageId, String body, Map<String, String> attributes, int receiveCount) {

    /** Message attribute marking the dispatcher's own retry messages, as opposed to agents' events. */
    public static final String KIND = "astra-kind";
    public static final String RETRY = "retry";

    public boolean isRetry() {
        return RETRY.equals(attributes.get(KIND));
    }
}
