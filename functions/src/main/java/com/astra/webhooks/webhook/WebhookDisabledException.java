package com.astra.webhooks.webhook;

/** An operation that sends to a webhook was asked of a disabled one: enable it first (409). */
public final class WebhookDisabledException extends RuntimeException {
    public WebhookDisabledException(String webhookId) {
        super("webhook " + webhookId + " is disabled; enable it first (PUT {\"enabled\": true})");
    }
}
