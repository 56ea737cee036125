package com.astra.webhooks.worker;

import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.TestLogClear;

/**
 * The service's own jobs on the events queue other than retries, one handler per kind (the
 * message's {@code astra-kind}): the next page of a recover, the next chunk of a test-mode log
 * clear, a rotated-out secret to erase.
 */
final class ServiceJobs {

    private final Recovery recovery;
    private final TestLogClear testLogClear;
    private final SecretExpiryHandler secretExpiries;

    ServiceJobs(Recovery recovery, TestLogClear testLogClear, SecretExpiryHandler secretExpiries) {
        this.recovery = recovery;
        this.testLogClear = testLogClear;
        this.secretExpiries = secretExpiries;
    }

    /** The message's kind when it is one of these jobs, else null. */
    static String kind(QueueMessage message) {
        if (message.isRecover()) {
            return QueueMessage.RECOVER;
        }
        if (message.isTestLogClear()) {
            return QueueMessage.TEST_LOG_CLEAR;
        }
        return message.isSecretExpiry() ? QueueMessage.SECRET_EXPIRY : null;
    }

    /** True when the message is done with (a malformed one is dead-lettered by its handler). */
    boolean handle(QueueMessage message) {
        if (message.isRecover()) {
            return recovery.handle(message);
        }
        if (message.isTestLogClear()) {
            return testLogClear.handle(message);
        }
        return secretExpiries.handle(message);
    }
}
