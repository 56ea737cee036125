package com.astra.webhooks.webhook;

import static com.astra.webhooks.webhook.WebhookValidator.problem;

import com.astra.webhooks.core.retry.RetrySchedule;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rules for a webhook's own {@code retrySchedule} (DESIGN.md "Filters and retry policy per
 * webhook"): the notation of {@code RETRY_SCHEDULE} (read by {@link RetrySchedule#parse}), 1 to 20
 * delays, each from 1 s to 24 h, 3 days in all. The floor of 1 s is ours: twenty 0 s delays would
 * be a burst of requests at a receiver that is already failing, not a schedule.
 */
public final class RetryScheduleLimits {

    public static final int MAX_DELAYS = 20;
    public static final Duration MIN_DELAY = Duration.ofSeconds(1);
    public static final Duration MAX_DELAY = Duration.ofHours(24);
    public static final Duration MAX_TOTAL = Duration.ofDays(3);

    private RetryScheduleLimits() {}

    /** The schedule, or null after adding what is wrong with {@code value} to {@code problems}. */
    static RetrySchedule validate(Object value, List<Map<String, Object>> problems) {
        if (!(value instanceof String spec)) {
            problems.add(problem("retrySchedule", "must be a string of comma-separated delays such as \"5s,5m,30m\", "
                    + "or null for the service's schedule"));
            return null;
        }
        RetrySchedule schedule;
        try {
            schedule = RetrySchedule.parse(spec);
        } catch (IllegalArgumentException e) {
            problems.add(problem("retrySchedule", e.getMessage()));
            return null;
        }
        List<Duration> delays = schedule.delays();
        if (delays.size() > MAX_DELAYS) {
            problems.add(problem("retrySchedule", "has " + delays.size() + " delays; at most " + MAX_DELAYS + " are allowed"));
            return null;
        }
        Duration total = Duration.ZERO;
        for (int i = 0; i < delays.size(); i++) {
            Duration d = delays.get(i);
            if (d.compareTo(MIN_DELAY) < 0 || d.compareTo(MAX_DELAY) > 0) {
                problems.add(problem("retrySchedule", "entry " + (i + 1) + " must be from 1s to 24h"));
                return null;
            }
            total = total.plus(d);
        }
        if (total.compareTo(MAX_TOTAL) > 0) {
            problems.add(problem("retrySchedule", "adds up to " + total.toHours() + "h; at most 3 days (72h) are allowed"));
            return null;
        }
        return schedule;
    }
}
