package com.astra.webhooks.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook's delivery figures for a time window (DESIGN.md "Receiver controls", stats). Each
 * (event, webhook) pair counts once, by its latest attempt in the window: a pair that failed
 * twice and then got through is one {@code delivered}. A latest attempt that failed with a retry
 * still due is {@code pending}, not {@code failed}.
 *
 * <p>Latency percentiles are exact (nearest rank over the sorted sample) and cover the delivered
 * pairs only: a refused connection's 0 ms or a timeout's 10 s says nothing about how fast the
 * receiver answers when it works. The caller bounds the sample (and says so with
 * {@code sampled}), so sorting it is cheap and no estimating library is needed.
 */
public record DeliveryStats(
        Instant since,
        Instant until,
        long delivered,
        long failed,
        long intercepted,
        long pending,
        Double successRate,
        Long p50,
        Long p95,
        Long p99,
        Instant lastDeliveredAt,
        Instant lastFailedAt,
        boolean sampled,
        List<Bucket> series) {

    /**
     * One bucket of the series: the pairs whose latest attempt started in
     * {@code [start, start + bucket)}, and the latency percentiles of those delivered. Pending
     * pairs are in no bucket (they have no outcome yet).
     */
    public record Bucket(Instant start, long delivered, long failed, long intercepted, Long p50, Long p95) {
    }

    /** What the stats need of one attempt: a dispatch record reduced to its index fields. */
    public record Attempt(String eventId, String outcome, long latencyMs, Instant createdAt, boolean retryDue) {
    }

    /**
     * Summarises the attempts of one webhook that started in {@code [since, until)}, in any
     * order. {@code sampled} says the caller stopped reading before the window's end.
     */
    public static DeliveryStats of(Instant since, Instant until, List<Attempt> attempts, boolean sampled) {
        return of(since, until, attempts, sampled, null);
    }

    /**
     * As above, with a series of {@code bucket}-long buckets (null: none) from {@code since}
     * rounded down to a whole bucket (UTC) up to {@code until}, empty buckets included, from the
     * same attempts: no further read.
     */
    public static DeliveryStats of(Instant since, Instant until, List<Attempt> attempts, boolean sampled,
            Duration bucket) {
        Map<String, Attempt> latest = new HashMap<>();
        for (Attempt a : attempts) {
            latest.merge(a.eventId(), a, (x, y) -> y.createdAt().isAfter(x.createdAt()) ? y : x);
        }
        long delivered = 0;
        long failed = 0;
        long intercepted = 0;
        long pending = 0;
        Instant lastDelivered = null;
        Instant lastFailed = null;
        List<Long> latencies = new ArrayList<>();
        for (Attempt a : latest.values()) {
            switch (a.outcome()) {
                case "delivered" -> {
                    delivered++;
                    latencies.add(a.latencyMs());
                    lastDelivered = later(lastDelivered, a.createdAt());
                }
                case "intercepted" -> intercepted++;
                default -> {
                    if (a.retryDue()) {
                        pending++;
                    } else {
                        failed++;
                    }
                    lastFailed = later(lastFailed, a.createdAt());
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        long settled = delivered + failed;
        Double rate = settled == 0 ? null : (double) delivered / settled;
        return new DeliveryStats(since, until, delivered, failed, intercepted, pending, rate,
                rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), lastDelivered, lastFailed, sampled,
                bucket == null ? null : series(since, until, latest.values(), bucket));
    }

    private static List<Bucket> series(Instant since, Instant until, Iterable<Attempt> latest, Duration bucket) {
        long size = bucket.toMillis();
        long first = Math.floorDiv(since.toEpochMilli(), size) * size;
        int count = (int) Math.max(1, Math.floorDiv(until.toEpochMilli() - first, size) + 1);
        long[][] outcomes = new long[count][3];
        List<List<Long>> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            latencies.add(new ArrayList<>());
        }
        for (Attempt a : latest) {
            int i = (int) Math.floorDiv(a.createdAt().toEpochMilli() - first, size);
            if (i < 0 || i >= count) {
                continue;
            }
            switch (a.outcome()) {
                case "delivered" -> {
                    outcomes[i][0]++;
                    latencies.get(i).add(a.latencyMs());
                }
                case "intercepted" -> outcomes[i][2]++;
                default -> {
                    if (!a.retryDue()) {
                        outcomes[i][1]++;
                    }
                }
            }
        }
        List<Bucket> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] sorted = latencies.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
            out.add(new Bucket(Instant.ofEpochMilli(first + i * size), outcomes[i][0], outcomes[i][1], outcomes[i][2],
                    rank(sorted, 50), rank(sorted, 95)));
        }
        return out;
    }

    /** Nearest-rank percentile: the smallest value with at least p% of the sample at or below it. */
    static Long rank(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
