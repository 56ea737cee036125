package com.astra.webhooks.model;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's subscription: where to POST which event types. {@code secret} is "whsec_" + base64(32 bytes).
 * {@code disabledReason} says why the service (not the tenant) disabled it; null otherwise.
 */
public record Webhook(
        String id,
        String tenant,
        String url,
        List<String> events,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        String secret,
        String disabledReason) {

    public static final String ALL_EVENTS = "*";

    /** What the dispatcher records when a receiver answers 410 (DESIGN.md "Receiver etiquette"). */
    public static final String GONE_REASON = "receiver answered 410 Gone";

    /** A webhook nobody disabled on the tenant's behalf. */
    public Webhook(String id, String tenant, String url, List<String> events, String description, boolean enabled,
                   Instant createdAt, Instant updatedAt, String secret) {
        this(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, null);
    }

    public boolean subscribesTo(String eventType) {
        return events.contains(ALL_EVENTS) || events.contains(eventType);
    }
}
