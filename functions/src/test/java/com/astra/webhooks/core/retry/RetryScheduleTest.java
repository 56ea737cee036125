package com.astra.webhooks.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryScheduleTest {

    /** A generator whose nextDouble() is always {@code value}: pins the jitter factor. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static final RandomGenerator NO_JITTER = fixed(0.5);

    @Test
    void defaultIsSvixLikeSevenDelaysAndEightAttempts() {
        RetrySchedule schedule = RetrySchedule.defaultSchedule();
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), schedule.delays());
        assertEquals(8, schedule.maxAttempts());
        assertEquals("5s,5m,30m,2h,5h,10h,10h", schedule.toString());
    }

    @Test
    void parsesEveryUnitAndToleratesWhitespaceAndCase() {
        RetrySchedule schedule = RetrySchedule.parse(" 250ms, 1s ,2 m,3H,\t1d ");
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofHours(3),
                Duration.ofDays(1)), schedule.delays());
        assertEquals(6, schedule.maxAttempts());
    }

    @Test
    void parseRoundTripsThroughToString() {
        for (String spec : new String[] {"5s,5m,30m,2h,5h,10h,10h", "1s,2s,3s", "0s,1500ms,1d"}) {
            assertEquals(spec, RetrySchedule.parse(spec).toString());
            assertEquals(RetrySchedule.parse(spec), RetrySchedule.parse(RetrySchedule.parse(spec).toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5", "5x", "s", "-5s", "5s,", ",5s", "5s,,5m", "1.5s", "5 s 3", "5sec",
            "five seconds", "99999999999999999999s", "9223372036854775807d"})
    void refusesMalformedSchedulesWithAClearMessage(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parse(spec));
        assertTrue(e.getMessage().startsWith("retry schedule"), e.getMessage());
    }

    @Test
    void badEntryIsNamedInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrySchedule.parse("5s,5m,30x"));
        assertTrue(e.getMessage().contains("entry 3 '30x'"), e.getMessage());
        assertTrue(e.getMessage().contains("ms, s, m, h or d"), e.getMessage());
    }

    @Test
    void refusesNegativeDelaysGivenDirectly() {
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.of(List.of(Duration.ofSeconds(-1))));
    }

    @Test
    void delayAfterEachAttemptFollowsTheScheduleThenStops() {
        RetrySchedule schedule = RetrySchedule.defaultSchedule().withRandom(NO_JITTER);
        for (int attempt = 1; attempt < 8; attempt++) {
            assertEquals(Optional.of(schedule.delays().get(attempt - 1)), schedule.delayAfterAttempt(attempt));
        }
        assertEquals(Optional.empty(), schedule.delayAfterAttempt(8), "no retry after the last attempt");
        assertEquals(Optional.empty(), schedule.delayAfterAttempt(9));
    }

    @Test
    void attemptsAreNumberedFromOne() {
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.defaultSchedule().delayAfterAttempt(0));
    }

    @Test
    void jitterSpansMinusToPlusTwentyPercent() {
        RetrySchedule schedule = RetrySchedule.parse("100s");
        assertEquals(Duration.ofSeconds(80), schedule.withRandom(fixed(0.0)).delayAfterAttempt(1).orElseThrow());
        assertEquals(Duration.ofSeconds(100), schedule.withRandom(fixed(0.5)).delayAfterAttempt(1).orElseThrow());
        assertEquals(Duration.ofSeconds(120), schedule.withRandom(fixed(1.0)).delayAfterAttempt(1).orElseThrow());
    }

    @Test
    void jitteredDelaysStayWithinTwentyPercentAndActuallyVary() {
        RetrySchedule schedule = RetrySchedule.parse("10h").withRandom(new Random(42));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long ms = schedule.delayAfterAttempt(1).orElseThrow().toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        long base = Duration.ofHours(10).toMillis();
        assertTrue(min >= base * 8 / 10, "min " + min);
        assertTrue(max <= base * 12 / 10, "max " + max);
        assertTrue(min < base * 82 / 100 && max > base * 118 / 100, "jitter should use the whole range");
    }

    @Test
    void defaultJitterSourceWorksWithoutInjection() {
        Duration d = RetrySchedule.parse("10s").delayAfterAttempt(1).orElseThrow();
        assertTrue(d.compareTo(Duration.ofSeconds(8)) >= 0 && d.compareTo(Duration.ofSeconds(12)) <= 0, d.toString());
    }

    @Test
    void sqsDelayIsCappedAtFifteenMinutes() {
        assertEquals(Duration.ofMinutes(15), RetrySchedule.SQS_MAX_DELAY);
        assertEquals(900, RetrySchedule.sqsDelaySeconds(Duration.ofHours(10)));
        assertEquals(900, RetrySchedule.sqsDelaySeconds(Duration.ofMinutes(15)));
        assertEquals(899, RetrySchedule.sqsDelaySeconds(Duration.ofSeconds(899)));
    }

    @Test
    void sqsDelayRoundsUpSoRetriesAreNeverEarly() {
        assertEquals(5, RetrySchedule.sqsDelaySeconds(Duration.ofMillis(4_001)));
        assertEquals(1, RetrySchedule.sqsDelaySeconds(Duration.ofMillis(1)));
        assertEquals(4, RetrySchedule.sqsDelaySeconds(Duration.ofSeconds(4)));
    }

    @Test
    void sqsDelayForNothingLeftIsZero() {
        assertEquals(0, RetrySchedule.sqsDelaySeconds(Duration.ZERO));
        assertEquals(0, RetrySchedule.sqsDelaySeconds(Duration.ofSeconds(-30)));
        assertEquals(0, RetrySchedule.sqsDelaySeconds(null));
    }

    @Test
    void longDelayIsReachedByChainingCappedHops() {
        Duration remaining = Duration.ofHours(10).plusMillis(300);
        int hops = 0;
        while (!remaining.isZero() && !remaining.isNegative()) {
            int seconds = RetrySchedule.sqsDelaySeconds(remaining);
            assertTrue(seconds > 0 && seconds <= 900);
            remaining = remaining.minusSeconds(seconds);
            hops++;
        }
        assertEquals(41, hops); // 40 × 900 s, then the 300 ms rounded up to one second
    }
}
