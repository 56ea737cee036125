package com.astra.webhooks.model;

import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.retry.RetrySchedule;
import java.util.List;
import java.util.Map;

/**
 * Validated fields of a create or update request. A null field was absent (keep it on update);
 * {@code clearDescription} says the client sent {@code "description": null}, and
 * {@code clearRateLimit} that it sent {@code "rateLimit": null} (unlimited); likewise
 * {@code clearFilter} and {@code clearRetrySchedule} (no filter; the service's schedule).
 */
public record WebhookChanges(String url, List<String> events, String description, boolean clearDescription,
        Boolean enabled, Map<String, String> headers, Integer rateLimit, boolean clearRateLimit,
        EventFilter filter, boolean clearFilter, RetrySchedule retrySchedule, boolean clearRetrySchedule) {}
