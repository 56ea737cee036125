package com.astra.webhooks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import com.astra.webhooks.model.DeliveryStats.Attempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryStatsTest {

    private static final Instant SINCE = Instant.parse("2026-11-26T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-11-27T00:00:00Z");

    private static Attempt at(String event, String outcome, long latency, int minute, boolean retryDue) {
        return new Attempt(event, outcome, latency, SINCE.plusSeconds(60L * minute), retryDue);
    }

    @Test
    void aKnownMixGivesItsCountsRateAndPercentiles() {
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            attempts.add(at("evt_d" + i, "delivered", 50, i, false));
        }
        for (int i = 0; i < 30; i++) {
            attempts.add(at("evt_f" + i, "failed", 3, 100 + i, false));
        }
        DeliveryStats stats = DeliveryStats.of(SINCE, UNTIL, attempts, false);
        assertEquals(70, stats.delivered());
        assertEquals(30, stats.failed());
        assertEquals(0.7, stats.successRate(), 1e-9);
        assertEquals(50L, stats.p50());
        assertEquals(50L, stats.p99());
        assertEquals(SINCE.plusSeconds(60L * 69), stats.lastDeliveredAt());
        assertEquals(SINCE.plusSeconds(60L * 129), stats.lastFailedAt());
        assertFalse(stats.sampled());
    }

    @Test
    void eachPairCountsOnceByItsLatestAttempt() {
        DeliveryStats stats = DeliveryStats.of(SINCE, UNTIL, List.of(
                at("evt_1", "failed", 10, 1, true),
                at("evt_1", "delivered", 40, 3, false),
                at("evt_1", "failed", 10, 2, true)), false);
        assertEquals(1, stats.delivered());
        assertEquals(0, stats.failed());
        assertEquals(0, stats.pending());
        assertEquals(1.0, stats.successRate());
    }

    @Test
    void aFailureWithARetryDueIsPendingNotFailed() {
        DeliveryStats stats = DeliveryStats.of(SINCE, UNTIL, List.of(
                at("evt_1", "failed", 10, 1, true),
                at("evt_2", "failed", 10, 1, false),
                at("evt_3", "intercepted", 0, 1, false)), false);
        assertEquals(1, stats.pending());
        assertEquals(1, stats.failed());
        assertEquals(1, stats.intercepted());
        assertEquals(0.0, stats.successRate());
    }

    @Test
    void nearestRankPercentilesOfASpreadSample() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50L, DeliveryStats.rank(sorted, 50));
        assertEquals(95L, DeliveryStats.rank(sorted, 95));
        assertEquals(99L, DeliveryStats.rank(sorted, 99));
        assertEquals(7L, DeliveryStats.rank(new long[] {7}, 99));
    }

    @Test
    void anEmptyWindowHasNoRateAndNoPercentiles() {
        DeliveryStats stats = DeliveryStats.of(SINCE, UNTIL, List.of(), false);
        assertNull(stats.successRate());
        assertNull(stats.p50());
        assertNull(stats.lastDeliveredAt());
    }

    @Test
    void aSeriesPutsEachPairInTheBucketOfItsLatestAttempt() {
        Instant since = SINCE.plusSeconds(90 * 60); // 01:30: the series starts at 01:00
        Instant until = SINCE.plusSeconds(4 * 3600); // 04:00: its last bucket is 04:00-05:00
        List<Attempt> attempts = List.of(
                at("evt_a", "failed", 5, 95, false), at("evt_a", "delivered", 40, 125, false), // retried into 02:00
                at("evt_b", "delivered", 10, 120, false),                                    // 02:00 exactly
                at("evt_c", "failed", 5, 179, false),                                        // 02:59
                at("evt_d", "failed", 5, 181, true),                                         // pending: in no bucket
                at("evt_e", "intercepted", 0, 239, false));
        var series = DeliveryStats.of(since, until, attempts, false, java.time.Duration.ofHours(1)).series();
        assertEquals(List.of(SINCE.plusSeconds(3600), SINCE.plusSeconds(7200), SINCE.plusSeconds(10800),
                SINCE.plusSeconds(14400)), series.stream().map(DeliveryStats.Bucket::start).toList());
        assertEquals(new DeliveryStats.Bucket(SINCE.plusSeconds(3600), 0, 0, 0, null, null), series.get(0));
        assertEquals(new DeliveryStats.Bucket(SINCE.plusSeconds(7200), 2, 1, 0, 10L, 40L), series.get(1));
        assertEquals(new DeliveryStats.Bucket(SINCE.plusSeconds(10800), 0, 0, 1, null, null), series.get(2));
        assertNull(DeliveryStats.of(since, until, attempts, false).series(), "no bucket asked, no series");
    }
}
