package com.astra.webhooks.model;

import java.util.List;
import java.util.Map;

/**
 * Validated fields of a create or update request. A null field was absent (keep it on update);
 * {@code clearDescription} says the client sent {@code "description": null}, and
 * {@code clearRateLimit} that it sent {@code "rateLimit": null} (unlimited).
 */
public record WebhookChanges(String url, List<String> events, String description, boolean clearDescription,
        Boolean enabled, Map<String, String> headers, Integer rateLimit, boolean clearRateLimit) {}
