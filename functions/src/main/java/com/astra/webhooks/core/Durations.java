package com.astra.webhooks.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reading of a human duration such as {@code 5s}, {@code 30m}, {@code 24h}, {@code 7d} or
 * {@code 250ms}: a whole number and a unit, case-insensitive, spaces allowed before the unit.
 * Retry schedules, token lifetimes and duration settings all go through it, so they accept
 * exactly the same spellings.
 */
public final class Durations {
    private Durations() {}

    /** What {@link #parse} accepts, for error messages. */
    public static final String ACCEPTED = "a whole number and a unit of ms, s, m, h or d (e.g. 5s, 30m, 24h, 7d)";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    /** The duration, or empty when {@code text} is not one (including when it is too large). */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
