package com.astra.webhooks.jobs;

import java.util.Map;

/** A message as the dispatcher needs it, whatever queue brought it. */
public record QueueMessage(String messageId, String body, Map<String, String> attributes, int receiveCount) {

    /** Message attribute marking the dispatcher's own retry messages, as opposed to agents' events. */
    public static final String KIND = "astra-kind";
    public static final String RETRY = "retry";
    /** The service's reminder to erase a webhook's previous secret when its grace period ends. */
    public static final String SECRET_EXPIRY = "secret-expiry";

    /** The next page of a recover (see {@link Recovery}). */
    public static final String RECOVER = "recover";

    /** The next chunk of a test-mode log clear (see {@link TestLogClear}). */
    public static final String TEST_LOG_CLEAR = "test-log-clear";

    /** Message attribute marking a delivery on the slow lane's queue (see worker.SlowLane). */
    public static final String LANE = "astra-lane";
    public static final String SLOW = "slow";

    public boolean isSlowLane() {
        return SLOW.equals(attributes.get(LANE));
    }

    public boolean isTestLogClear() {
        return TEST_LOG_CLEAR.equals(attributes.get(KIND));
    }

    public boolean isRecover() {
        return RECOVER.equals(attributes.get(KIND));
    }

    public boolean isRetry() {
        return RETRY.equals(attributes.get(KIND));
    }

    public boolean isSecretExpiry() {
        return SECRET_EXPIRY.equals(attributes.get(KIND));
    }
}
