package com.astra.webhooks.worker;

import com.astra.webhooks.jobs.SecretExpiry;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.webhook.SecretExpiries;
import java.time.Clock;
import java.time.Instant;

/**
 * Handles a {@link SecretExpiry} message from the events queue: before its time (SQS delays stop
 * at 15 minutes) it hops through the queue again, like a long retry; at its time it erases the
 * previous secret, which the store does only if that secret's grace is really over (a rotation
 * since then has a later end and its own message).
 */
public final class SecretErasure {

    private final WebhookStore webhooks;
    private final SecretExpiries expiries;
    private final Clock clock;

    public SecretErasure(WebhookStore webhooks, SecretExpiries expiries, Clock clock) {
        this.webhooks = webhooks;
        this.expiries = expiries;
        this.clock = clock;
    }

    /** True when the job is done with (erased, nothing to erase, or re-queued). */
    public boolean handle(SecretExpiry expiry) {
        Instant now = clock.instant();
        if (expiry.dueAt().isAfter(now)) {
            expiries.schedule(expiry.tenant(), expiry.webhookId(), expiry.dueAt());
        } else {
            webhooks.erasePreviousSecret(expiry.tenant(), expiry.webhookId(), now);
        }
        return true;
    }
}
