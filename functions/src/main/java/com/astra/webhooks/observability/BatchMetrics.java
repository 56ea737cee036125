package com.astra.webhooks.observability;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The dispatcher's metrics in CloudWatch Embedded Metric Format: one EMF record per batch, so a
 * batch costs one log line however many deliveries it made. Counts are summed, each delivery's
 * latency is kept as a value (EMF carries up to 100 values per metric and record, so latencies
 * past the first 100 go into further records that carry only them).
 *
 * <p>The record is an {@link EmfRecord}. The line goes to a {@link LogSink}: on Lambda the
 * runtime's logger, locally the runner's output, where tests read it.
 *
 * <p>A {@link Batch} may be fed from many delivery threads at once.
 */
public final class BatchMetrics {

    public static final String NAMESPACE = "AstraWebhooks";
    public static final String DELIVERED = "Delivered";
    public static final String FAILED = "Failed";
    public static final String INTERCEPTED = "Intercepted";
    public static final String BLOCKED = "Blocked";
    public static final String DEAD_LETTERED = "DeadLettered";
    public static final String RETRIES_SCHEDULED = "RetriesScheduled";
    public static final String DELIVERY_LATENCY = "DeliveryLatency";
    public static final String BATCH_DURATION = "BatchDuration";

    private final String service;
    private final Clock clock;

    /** @param service the one dimension every metric carries, e.g. the function's name */
    public BatchMetrics(String service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /**
     * Builds and serialises one record to nowhere, so the dispatcher's SnapStart priming loads
     * the classes of a record's path before the snapshot rather than in the first batch.
     */
    public void warmUp() {
        Batch batch = start((line, error) -> { }, null);
        batch.delivered(1);
        batch.finish();
    }

    /** @param requestId the Lambda request id, kept as a property so a record can be matched to its logs */
    public Batch start(LogSink sink, String requestId) {
        return new Batch(sink, requestId, clock.instant());
    }

    /** The counts of one batch; {@link #finish()} writes them. */
    public final class Batch {
        private final LogSink sink;
        private final String requestId;
        private final Instant started;
        private final LongAdder delivered = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final LongAdder intercepted = new LongAdder();
        private final LongAdder blocked = new LongAdder();
        private final LongAdder deadLettered = new LongAdder();
        private final LongAdder retriesScheduled = new LongAdder();
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

        private Batch(LogSink sink, String requestId, Instant started) {
            this.sink = sink;
            this.requestId = requestId;
            this.started = started;
        }

        public void delivered(long latencyMs) {
            delivered.increment();
            latencies.add(latencyMs);
        }

        /** An attempt that reached the receiver (or timed out) and did not succeed. */
        public void failed(long latencyMs) {
            failed.increment();
            latencies.add(latencyMs);
        }

        public void intercepted() {
            intercepted.increment();
        }

        /** Refused by the URL guard at send time: never connected. */
        public void blocked() {
            blocked.increment();
        }

        public void deadLettered() {
            deadLettered.increment();
        }

        public void retryScheduled() {
            retriesScheduled.increment();
        }

        /** The counts so far by metric name, for the batch's log line. */
        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put(DELIVERED, delivered.sum());
            counts.put(FAILED, failed.sum());
            counts.put(INTERCEPTED, intercepted.sum());
            counts.put(BLOCKED, blocked.sum());
            counts.put(DEAD_LETTERED, deadLettered.sum());
            counts.put(RETRIES_SCHEDULED, retriesScheduled.sum());
            return counts;
        }

        /** Writes the batch's one record (more when it holds over 100 latencies). */
        public void finish() {
            Instant now = clock.instant();
            List<Long> values = List.copyOf(latencies);
            EmfRecord first = new EmfRecord(NAMESPACE, "Service", service, now)
                    .metric(DELIVERED, "Count", delivered.sum())
                    .metric(FAILED, "Count", failed.sum())
                    .metric(INTERCEPTED, "Count", intercepted.sum())
                    .metric(BLOCKED, "Count", blocked.sum())
                    .metric(DEAD_LETTERED, "Count", deadLettered.sum())
                    .metric(RETRIES_SCHEDULED, "Count", retriesScheduled.sum())
                    .metric(BATCH_DURATION, "Milliseconds", Math.max(0, now.toEpochMilli() - started.toEpochMilli()));
            for (int from = 0; from == 0 || from < values.size(); from += EmfRecord.MAX_VALUES) {
                EmfRecord record = from == 0 ? first : new EmfRecord(NAMESPACE, "Service", service, now);
                if (!values.isEmpty()) {
                    record.metric(DELIVERY_LATENCY, "Milliseconds",
                            values.subList(from, Math.min(values.size(), from + EmfRecord.MAX_VALUES)));
                }
                if (requestId != null) {
                    record.property("requestId", requestId);
                }
                sink.write(record.toJson(), false);
            }
        }
    }
}
