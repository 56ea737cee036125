package com.astra.webhooks.webhook;

import static com.astra.webhooks.core.Text.printable;
import static com.astra.webhooks.webhook.WebhookValidator.problem;
import static com.astra.webhooks.webhook.WebhookValidator.summary;

import com.astra.webhooks.core.RequestLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of POST /webhooks/{id}/recover, {@code {"since", "until"?}}: a window at most
 * {@link RequestLimits#RECOVER_MAX_BACK} back,
 * {@code until} defaulting to now and never later than now.
 */
public record RecoverWindow(Instant since, Instant until) {

    private static final long MAX_DAYS = RequestLimits.RECOVER_MAX_BACK.toDays();
    private static final Set<String> FIELDS = Set.of("since", "until");

    public static RecoverWindow parse(Map<String, Object> body, Clock clock) {
        Instant now = clock.instant();
        List<Map<String, Object>> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                problems.add(problem(printable(field), "unknown field; allowed: since, until"));
            }
        }
        Instant since = instant(body.get("since"));
        if (since == null) {
            problems.add(problem("since", "required: an ISO-8601 date-time with offset, at most " + MAX_DAYS + " days ago"));
        } else if (since.isBefore(now.minus(RequestLimits.RECOVER_MAX_BACK))) {
            problems.add(problem("since", "must be at most " + MAX_DAYS + " days ago"));
        }
        Instant until = body.containsKey("until") ? instant(body.get("until")) : now;
        if (until == null) {
            problems.add(problem("until", "must be an ISO-8601 date-time with offset"));
        } else if (since != null && !until.isAfter(since)) {
            problems.add(problem("until", "must be after since"));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(summary(problems), problems);
        }
        return new RecoverWindow(since, until.isAfter(now) ? now : until);
    }

    private static Instant instant(Object value) {
        if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
