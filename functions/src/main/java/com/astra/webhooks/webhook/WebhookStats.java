package com.astra.webhooks.webhook;

import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /webhooks/{id}/stats} (DESIGN.md "Receiver controls"): the figures of one webhook's
 * window, from its own history partition. The read is bounded to the newest {@link #MAX_ATTEMPTS}
 * attempts of the window, so one call costs at most about that many items' read units whatever
 * the history holds; a window with more says {@code sampled}.
 */
public final class WebhookStats {

    public static final int MAX_ATTEMPTS = 1_000;
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    static final Duration MAX_WINDOW = Duration.ofDays(14);

    private final WebhookStore webhooks;
    private final DispatchHistory dispatches;
    private final Clock clock;

    public WebhookStats(WebhookStore webhooks, DispatchHistory dispatches, Clock clock) {
        this.webhooks = webhooks;
        this.dispatches = dispatches;
        this.clock = clock;
    }

    /** Empty when the tenant has no such webhook; a {@code since} that is malformed, ahead or too old is refused. */
    public Optional<DeliveryStats> of(String tenant, String webhookId, String since) {
        return of(tenant, webhookId, since, null);
    }

    /** As above, with a series per {@code bucket} ("1h" or "1d"; null: no series). */
    public Optional<DeliveryStats> of(String tenant, String webhookId, String since, String bucket) {
        Duration size = bucketOf(bucket);
        Instant until = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant from = since == null ? until.minus(DEFAULT_WINDOW) : parse(since);
        if (from.isBefore(until.minus(MAX_WINDOW)) || from.isAfter(until)) {
            throw invalid(since, "must be within the last 14 days");
        }
        if (webhooks.get(tenant, webhookId).isEmpty()) {
            return Optional.empty();
        }
        DispatchHistory.Window window = dispatches.window(tenant, webhookId, from, until, MAX_ATTEMPTS);
        return Optional.of(DeliveryStats.of(from, until, window.attempts(), window.sampled(), size));
    }

    private static Duration bucketOf(String bucket) {
        if (bucket == null) {
            return null;
        }
        return switch (bucket) {
            case "1h" -> Duration.ofHours(1);
            case "1d" -> Duration.ofDays(1);
            default -> throw new ValidationException("bucket must be 1h or 1d",
                    List.of(WebhookValidator.problem("bucket", "must be 1h or 1d")));
        };
    }

    private static Instant parse(String since) {
        try {
            return OffsetDateTime.parse(since).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(since, "must be an ISO-8601 date-time with an offset, e.g. 2026-01-31T12:00:00Z");
        }
    }

    private static ValidationException invalid(String since, String rule) {
        return new ValidationException("since " + rule,
                List.of(WebhookValidator.problem("since", rule)));
    }
}
