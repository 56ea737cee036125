package com.astra.webhooks.webhook;

import static com.astra.webhooks.webhook.WebhookValidator.problem;

import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.core.retry.RetrySchedule;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rules for a webhook's own {@code retrySchedule} (DESIGN.md "Filters and retry policy per
 * webhook"): the notation of {@code RETRY_SCHEDULE} (read by {@link RetrySchedule#parse}), with
 * the number of delays, each delay and their total bounded by {@link RequestLimits}.
 */
public final class RetryScheduleLimits {

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
        if (delays.size() > RequestLimits.RETRY_DELAYS) {
            problems.add(problem("retrySchedule", "has " + delays.size() + " delays; at most " + RequestLimits.RETRY_DELAYS + " are allowed"));
            return null;
        }
        Duration total = Duration.ZERO;
        for (int i = 0; i < delays.size(); i++) {
            Duration d = delays.get(i);
            if (d.compareTo(RequestLimits.RETRY_DELAY_MIN) < 0 || d.compareTo(RequestLimits.RETRY_DELAY_MAX) > 0) {
                problems.add(problem("retrySchedule", "entry " + (i + 1) + " must be from 1s to 24h"));
                return null;
            }
            total = total.plus(d);
        }
        if (total.compareTo(RequestLimits.RETRY_TOTAL_MAX) > 0) {
            problems.add(problem("retrySchedule", "adds up to " + total.toHours() + "h; at most 3 days (72h) are allowed"));
            return null;
        }
        return schedule;
    }
}
