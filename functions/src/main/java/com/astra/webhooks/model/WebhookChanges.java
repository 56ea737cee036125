package com.astra.webhooks.model;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.retry.RetrySchedule;
import java.util.List;
import java.util.Map;

/**
 * Validated fields of a create or update request. A null field was absent (keep it on update);
 * {@code clearDescription} says the client sent {@code "description": null}, and
 * {@code clearRateLimit} that it sent {@code "rateLimit": null} (unlimited); likewise
 * {@code clearFilter} and {@code clearRetrySchedule} (no filter; the service's schedule).
 * {@code signingKey} is not from the request: the key pair the service generated for a mode that
 * uses Ed25519, stored only if the webhook has none yet.
 */
public record WebhookChanges(String url, List<String> events, String description, boolean clearDescription,
        Boolean enabled, Map<String, String> headers, Integer rateLimit, boolean clearRateLimit,
        EventFilter filter, boolean clearFilter, RetrySchedule retrySchedule, boolean clearRetrySchedule,
        SigningMode signing, Ed25519KeyPair signingKey) {

    /** Changes that leave the signing, the filter and the retry schedule as they are. */
    public WebhookChanges(String url, List<String> events, String description, boolean clearDescription,
            Boolean enabled, Map<String, String> headers, Integer rateLimit, boolean clearRateLimit) {
        this(url, events, description, clearDescription, enabled, headers, rateLimit, clearRateLimit,
                null, false, null, false, null, null);
    }

    /** These changes with a key pair for their Ed25519 signing mode. */
    public WebhookChanges withSigningKey(Ed25519KeyPair key) {
        return new WebhookChanges(url, events, description, clearDescription, enabled, headers, rateLimit,
                clearRateLimit, filter, clearFilter, retrySchedule, clearRetrySchedule, signing, key);
    }
}
