package com.astra.webhooks.model;

import java.time.Instant;
import java.util.List;

/** A tenant's subscription: where to POST which event types. {@code secret} is "whsec_" + base64(32 bytes). */
public record Webhook(
        String id,
        String tenant,
        String url,
        List<String> events,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        String secret) {

    public static final String ALL_EVENTS = "*";

    public boolean subscribesTo(String eventType) {
        return events.contains(ALL_EVENTS) || events.contains(eventType);
    }
}
