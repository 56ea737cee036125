package com.astra.webhooks.jobs;

import java.time.Instant;

/** The queue message that erases one webhook's previous secret at {@code dueAt}, the end of its grace period. */
public record SecretExpiry(String tenant, String webhookId, Instant dueAt) implements Job {

    @Override
    public Kind kind() {
        return Kind.SECRET_EXPIRY;
    }
}
