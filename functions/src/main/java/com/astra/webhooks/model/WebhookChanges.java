package com.astra.webhooks.model;

import java.util.List;

/**
 * Validated fields of a create or update request. A null field was absent (keep it on update);
 * {@code clearDescription} says the client sent {@code "description": null}.
 */
public record WebhookChanges(String url, List<String> events, String description, boolean clearDescription,
        Boolean enabled) {}
