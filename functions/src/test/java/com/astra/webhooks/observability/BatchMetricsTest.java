package com.astra.webhooks.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchMetricsTest {

    /** EMF refuses timestamps far from the present, so the fixed clock starts at the real one. */
    private final Instant start = Instant.ofEpochMilli(System.currentTimeMillis());
    private final AtomicReference<Instant> now = new AtomicReference<>(start);
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };

    @Test
    void oneBatchIsOneEmfRecordWithEveryContractMetric() throws Exception {
        List<String> lines = new ArrayList<>();
        BatchMetrics.Batch batch = new BatchMetrics("dispatcher", clock).start((line, error) -> lines.add(line), "req-1");
        batch.delivered(120);
        batch.delivered(80);
        batch.failed(10_000);
        batch.intercepted();
        batch.blocked();
        batch.deadLettered();
        batch.retryScheduled();
        now.set(now.get().plusMillis(1500));
        batch.finish();

        assertEquals(1, lines.size(), lines.toString());
        Map<String, Object> record = Json.parseObject(lines.get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> aws = (Map<String, Object>) record.get("_aws");
        assertEquals(start.plusMillis(1500).toEpochMilli(), ((Number) aws.get("Timestamp")).longValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> directive = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
        assertEquals("AstraWebhooks", directive.get("Namespace"));
        assertEquals(List.of(List.of("Service")), directive.get("Dimensions"));
        assertEquals("dispatcher", record.get("Service"));
        assertEquals("req-1", record.get("requestId"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> definitions = (List<Map<String, Object>>) directive.get("Metrics");
        Map<String, String> units = new java.util.HashMap<>();
        definitions.forEach(d -> units.put((String) d.get("Name"), (String) d.get("Unit")));
        assertEquals(Map.of("Delivered", "Count", "Failed", "Count", "Intercepted", "Count", "Blocked", "Count",
                "DeadLettered", "Count", "RetriesScheduled", "Count", "DeliveryLatency", "Milliseconds",
                "BatchDuration", "Milliseconds"), units);
        assertEquals(2.0, number(record.get("Delivered")));
        assertEquals(1.0, number(record.get("Failed")));
        assertEquals(1.0, number(record.get("Intercepted")));
        assertEquals(1.0, number(record.get("Blocked")));
        assertEquals(1.0, number(record.get("DeadLettered")));
        assertEquals(1.0, number(record.get("RetriesScheduled")));
        assertEquals(1500.0, number(record.get("BatchDuration")));
        @SuppressWarnings("unchecked")
        List<Number> latencies = (List<Number>) record.get("DeliveryLatency");
        assertEquals(List.of(120.0, 80.0, 10000.0), latencies.stream().map(Number::doubleValue).toList());
    }

    @Test
    void anEmptyBatchStillReportsZerosAndItsDuration() throws Exception {
        List<String> lines = new ArrayList<>();
        new BatchMetrics("dispatcher", clock).start((line, error) -> lines.add(line), "req-1").finish();
        Map<String, Object> record = Json.parseObject(lines.get(0));
        assertEquals(0.0, number(record.get("Delivered")));
        assertFalse(record.containsKey("DeliveryLatency"), lines.get(0));
    }

    @Test
    void countsFromManyThreadsAreNotLost() throws Exception {
        List<String> lines = new ArrayList<>();
        BatchMetrics.Batch batch = new BatchMetrics("dispatcher", clock).start((line, error) -> lines.add(line), "req-1");
        IntStream.range(0, 1000).parallel().forEach(i -> batch.retryScheduled());
        batch.finish();
        assertTrue(lines.stream().allMatch(l -> !l.contains("\n")));
        assertEquals(1000.0, number(Json.parseObject(lines.get(0)).get("RetriesScheduled")));
    }

    @Test
    void latenciesPastTheSpecsHundredValuesGoIntoFurtherRecordsCountedOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        BatchMetrics.Batch batch = new BatchMetrics("dispatcher", clock).start((line, error) -> lines.add(line), "req-2");
        IntStream.range(0, 250).forEach(i -> batch.delivered(i));
        batch.finish();

        assertEquals(3, lines.size(), lines.toString());
        List<Double> all = new ArrayList<>();
        double delivered = 0;
        for (String line : lines) {
            Map<String, Object> record = Json.parseObject(line);
            @SuppressWarnings("unchecked")
            List<Number> values = (List<Number>) record.get("DeliveryLatency");
            assertTrue(values.size() <= 100, line);
            values.forEach(v -> all.add(v.doubleValue()));
            assertEquals("req-2", record.get("requestId"));
            // every metric a record names is in that record, and no other
            @SuppressWarnings("unchecked")
            Map<String, Object> aws = (Map<String, Object>) record.get("_aws");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> definitions = (List<Map<String, Object>>)
                    ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0).get("Metrics");
            definitions.forEach(d -> assertTrue(record.containsKey((String) d.get("Name")), line));
            if (record.containsKey("Delivered")) {
                delivered += number(record.get("Delivered"));
            }
        }
        assertEquals(250.0, delivered);
        assertEquals(IntStream.range(0, 250).mapToDouble(i -> i).boxed().toList(), all);
    }

    private static double number(Object value) {
        return value instanceof List<?> list ? ((Number) list.get(0)).doubleValue() : ((Number) value).doubleValue();
    }
}
