package com.astra.webhooks.jobs;

/**
 * One piece of work on the events queue, whatever produced it: an agent's event to fan out, the
 * dispatcher's own retries and the service's jobs. {@link JobCodec} is the only place that knows
 * how each kind travels as a queue message; the dispatcher routes by {@link #kind()}, and its
 * switch over the kinds is exhaustive, so a new kind does not compile until it has a handler.
 */
public sealed interface Job permits AgentEvent, RetryTask, RecoveryPage, TestLogClearChunk, SecretExpiry, Poison {

    /** The kinds of work, one handler each. */
    enum Kind {
        /** An agent's event (or one of the service's own, such as webhook.disabled) to fan out. */
        EVENT,
        /** The next attempt of one delivery, or a first attempt the rate limit held back. */
        RETRY,
        /** The next page of a recover. */
        RECOVER,
        /** The next chunk of a test-mode log clear. */
        TEST_LOG_CLEAR,
        /** A rotated-out secret to erase when its grace period ends. */
        SECRET_EXPIRY,
        /** A message no handler can read: dead-lettered with the reason. */
        POISON
    }

    Kind kind();
}
