package com.astra.webhooks.webhook;

import java.time.Instant;

/**
 * Arranges for a webhook's previous secret to be erased from storage when its grace period
 * ends, even if nothing reads the webhook then (readers erase it too, see WebhookStore).
 */
public interface SecretExpiries {

    /** The erase of {@code webhookId}'s previous secret happens at {@code expiresAt} or soon after. */
    void schedule(String tenant, String webhookId, Instant expiresAt);
}
