package com.astra.webhooks.core.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Receiver etiquette (DESIGN.md "Recovery and endpoint health"): a 429 or 503 answer with a
 * {@code Retry-After} header delays the next attempt to at least that time, but never more than
 * {@link #MAX_EXTRA} past what the retry schedule would have chosen, so that a receiver cannot
 * park our retries for days with one header.
 */
public final class RetryAfter {

    /** How far past the scheduled retry a Retry-After may push the next attempt. */
    public static final Duration MAX_EXTRA = Duration.ofHours(1);

    private RetryAfter() {
    }

    /** Whether this status invites a Retry-After (RFC 9110 §10.2.3: 503; RFC 6585: 429). */
    public static boolean honouredFor(Integer statusCode) {
        return statusCode != null && (statusCode == 429 || statusCode == 503);
    }

    /**
     * The wait a {@code Retry-After} value asks for, measured from {@code now}: either
     * delay-seconds ({@code "120"}) or an HTTP-date ({@code "Wed, 21 Oct 2015 07:28:00 GMT"}).
     * Empty when the header is absent or malformed (ignored, as browsers do); a date in the past
     * is a wait of zero.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Ten digits already exceed three centuries; longer values would overflow a long.
            return Optional.of(v.length() > 10 ? Duration.ofSeconds(9_999_999_999L) : Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The delay before the next attempt: the scheduled one, lengthened to what the receiver asked
     * for, but at most {@link #MAX_EXTRA} longer than scheduled.
     */
    public static Duration apply(Duration scheduled, Optional<Duration> asked) {
        if (asked.isEmpty() || asked.get().compareTo(scheduled) <= 0) {
            return scheduled;
        }
        Duration cap = scheduled.plus(MAX_EXTRA);
        return asked.get().compareTo(cap) > 0 ? cap : asked.get();
    }
}
