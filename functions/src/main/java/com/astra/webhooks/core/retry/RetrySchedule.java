package com.astra.webhooks.core.retry;

import com.astra.webhooks.core.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * When to retry a failed delivery: a list of delays, one per retry, so attempts = delays + 1.
 * The default is Svix's 5s, 5m, 30m, 2h, 5h, 10h, 10h (8 attempts over about a day);
 * {@code RETRY_SCHEDULE} replaces it with the same comma-separated notation.
 *
 * <p>Every delay is jittered by ±20% so that receivers that failed together (an outage) are not
 * hit again by one synchronised wave of retries.
 *
 * <p>Immutable and thread-safe, provided the injected random generator is (the default uses
 * {@link ThreadLocalRandom} of the calling thread; {@link java.util.Random} is also safe).
 */
public final class RetrySchedule {

    /** SQS refuses a DelaySeconds above 15 minutes; longer waits are chained, see {@link #sqsDelaySeconds}. */
    public static final Duration SQS_MAX_DELAY = Duration.ofMinutes(15);

    public static final String DEFAULT_SPEC = "5s,5m,30m,2h,5h,10h,10h";

    /** Jitter is ±20%: the delay is multiplied by a uniform factor in [0.8, 1.2). */
    static final double JITTER = 0.20;

    private static final RetrySchedule DEFAULT = parse(DEFAULT_SPEC);

    private final List<Duration> delays;
    private final RandomGenerator random; // null: ThreadLocalRandom of the calling thread

    private RetrySchedule(List<Duration> delays, RandomGenerator random) {
        this.delays = List.copyOf(delays);
        this.random = random;
    }

    /** A schedule of these delays (each ≥ 0), with the default jitter source. */
    public static RetrySchedule of(List<Duration> delays) {
        Objects.requireNonNull(delays, "delays");
        for (Duration d : delays) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("retry delays must be zero or positive, got " + d);
            }
        }
        return new RetrySchedule(delays, null);
    }

    public static RetrySchedule defaultSchedule() {
        return DEFAULT;
    }

    /**
     * Parses {@code "5s, 5m,30m ,2h"}: comma-separated whole numbers with a unit of ms, s, m, h or d
     * (case-insensitive, spaces allowed around entries and before the unit). A schedule always
     * has at least one delay: an empty value or an empty entry ({@code "5s,,5m"}) is a typo that
     * fails loudly instead of silently disabling retries.
     *
     * @throws IllegalArgumentException naming the offending entry
     */
    public static RetrySchedule parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "retry schedule is empty; expected comma-separated delays like " + DEFAULT_SPEC);
        }
        List<Duration> delays = new ArrayList<>();
        String[] entries = spec.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int n = i + 1;
            delays.add(Durations.parse(entry).orElseThrow(() -> new IllegalArgumentException(
                    "retry schedule entry " + n + " '" + entry + "' is not a delay; expected "
                            + Durations.ACCEPTED + ", as in " + DEFAULT_SPEC)));
        }
        return new RetrySchedule(delays, null);
    }

    /** The same delays, jittered from {@code random} (for tests, or a seeded generator). */
    public RetrySchedule withRandom(RandomGenerator random) {
        return new RetrySchedule(delays, Objects.requireNonNull(random, "random"));
    }

    /** The un-jittered delays, in order. */
    public List<Duration> delays() {
        return delays;
    }

    /** The first attempt plus one per delay: 8 with the default schedule. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * How long to wait after attempt number {@code attempt} (1-based) failed, jittered ±20%;
     * empty when that was the last attempt and the dispatch stays failed for good.
     *
     * @throws IllegalArgumentException if attempt is below 1
     */
    public Optional<Duration> delayAfterAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1, got " + attempt);
        }
        if (attempt >= maxAttempts()) {
            return Optional.empty();
        }
        Duration base = delays.get(attempt - 1);
        RandomGenerator source = random != null ? random : ThreadLocalRandom.current();
        double factor = 1.0 - JITTER + 2 * JITTER * source.nextDouble();
        // Millisecond precision is plenty; the queue works in whole seconds anyway.
        long millis = Math.round(base.toMillis() * factor);
        return Optional.of(Duration.ofMillis(millis));
    }

    /**
     * The SQS {@code DelaySeconds} to use for a wait of {@code remaining}: rounded up to a whole
     * second (never deliver early), at least 0, at most 900 ({@link #SQS_MAX_DELAY}).
     *
     * <p>Longer waits are chained: the message is enqueued with 900 s and carries the instant the
     * next attempt is due; when it arrives early the dispatcher re-enqueues it with the remainder
     * ({@code sqsDelaySeconds(Duration.between(now, dueAt))}) instead of sending, until no time
     * remains. A 10 h delay therefore takes 40 hops, each costing one SQS receive.
     */
    public static int sqsDelaySeconds(Duration remaining) {
        if (remaining == null || remaining.isNegative() || remaining.isZero()) {
            return 0;
        }
        if (remaining.compareTo(SQS_MAX_DELAY) >= 0) {
            return (int) SQS_MAX_DELAY.toSeconds();
        }
        long seconds = remaining.toSeconds();
        return (int) (remaining.toNanosPart() > 0 ? seconds + 1 : seconds);
    }

    /** The schedule in the notation {@link #parse} reads, e.g. {@code 5s,5m,30m,2h,5h,10h,10h}. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(",");
        for (Duration d : delays) {
            out.add(format(d));
        }
        return out.toString();
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetrySchedule other && delays.equals(other.delays);
    }

    @Override
    public int hashCode() {
        return delays.hashCode();
    }
}
