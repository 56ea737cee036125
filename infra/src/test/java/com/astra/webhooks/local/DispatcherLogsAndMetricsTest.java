package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The dispatcher's JSON log lines and EMF metrics record of one SQS batch, read through the
 * runner's function logs (the runtime's logger, as on Lambda). The batch holds four messages: an
 * event delivered, one whose receiver answers 500, one of a tenant in test mode (test mode is per
 * tenant, hence two tenants in one batch) and a poison message.
 */
@ExtendWith(AstraLocalExtension.class)
class DispatcherLogsAndMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void oneBatchWritesOneBatchLineALineForEachFailureAndDeadLetterAndOneMetricsRecord() {
        receiver.script("/fail", java.util.Collections.nCopies(60, Receiver.Answer.status(500))
                .toArray(Receiver.Answer[]::new));
        TenantClient live = new TenantClient();
        TenantClient testing = new TenantClient();
        String okHook = (String) live.createWebhook(receiver.url("/ok"), "[\"agent_completed\"]").get("id");
        String failHook = (String) live.createWebhook(receiver.url("/fail"), "[\"tool.executed\"]").get("id");
        testing.createWebhook(receiver.url("/never"), "[\"agent_completed\"]");
        assertEquals(200, testing.post("/webhooks/test-mode/enable").status());

        // SQS may hand four messages to two invocations (a receive can return fewer than there
        // are); the four are pushed again, under new ids, until one invocation has taken them all.
        String delivered = null;
        String failed = null;
        String poisonId = null;
        Map<String, Object> batch = null;
        for (int round = 0; round < 5 && batch == null; round++) {
            delivered = newEventId();
            failed = newEventId();
            String intercepted = newEventId();
            List<SendMessageBatchRequestEntry> entries = List.of(
                    entry("d", live.message("agent_completed", delivered, Map.of("n", 1))),
                    entry("f", live.message("tool.executed", failed, Map.of("n", 2))),
                    entry("i", testing.message("agent_completed", intercepted, Map.of("n", 3))),
                    entry("p", "{\"event\":\"no.such.type\",\"tenant\":\"" + live.tenant + "\",\"data\":{}}"));
            var sent = AstraLocalExtension.sqs().sendMessageBatch(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl())
                    .entries(entries));
            assertEquals(0, sent.failed().size(), sent.failed().toString());
            poisonId = sent.successful().stream().filter(e -> e.id().equals("p")).findFirst().orElseThrow().messageId();
            String failedEvent = failed;
            String poison = poisonId;
            AtomicReference<String> failedIn = new AtomicReference<>();
            AtomicReference<String> poisonIn = new AtomicReference<>();
            Eventually.await(WAIT, "the lines of the failed attempt and the dead-lettered message", () -> {
                records().forEach(r -> {
                    if (failedEvent.equals(r.get("eventId")) && number(r, "attempt") == 1) {
                        failedIn.set((String) r.get("requestId"));
                    }
                    if (poison.equals(r.get("messageId"))) {
                        poisonIn.set((String) r.get("requestId"));
                    }
                });
                return failedIn.get() != null && poisonIn.get() != null;
            });
            if (failedIn.get().equals(poisonIn.get())) {
                Eventually.await(WAIT, "the batch line", () -> batchLine(failedIn.get()) != null);
                Map<String, Object> line = batchLine(failedIn.get());
                batch = number(line, "messages") == 4 ? line : null;
            }
        }
        assertNotNull(batch, "five pushes of four messages never arrived in one batch");
        String requestId = (String) batch.get("requestId");
        assertNotNull(requestId, batch.toString());
        assertEquals("INFO", batch.get("level"));
        assertEquals(3, number(batch, "deliveries"), batch.toString());
        assertEquals(1, number(batch, "intercepted"), batch.toString());
        assertEquals(0, number(batch, "blocked"), batch.toString());
        assertEquals(1, number(batch, "deadLettered"), batch.toString());
        assertEquals(1, number(batch, "retriesScheduled"), batch.toString());
        assertEquals(0, number(batch, "messagesHandedBack"), batch.toString());
        assertTrue(number(batch, "durationMs") >= 0, batch.toString());

        List<Map<String, Object>> ofBatch = records().stream().filter(r -> requestId.equals(r.get("requestId"))).toList();
        List<Map<String, Object>> failures = ofBatch.stream().filter(r -> "attempt failed".equals(r.get("message"))).toList();
        assertEquals(1, failures.size(), "one line per failed attempt, none for the delivered or intercepted: " + ofBatch);
        Map<String, Object> failure = failures.get(0);
        assertEquals("WARN", failure.get("level"));
        assertEquals(live.tenant, failure.get("tenant"));
        assertEquals(failed, failure.get("eventId"));
        String deliveredEvent = delivered;
        assertEquals(failHook, failure.get("webhookId"));
        assertTrue(((String) failure.get("dispatchId")).startsWith("dispatch_"), failure.toString());
        assertEquals(1, number(failure, "attempt"));
        assertEquals("failed", failure.get("outcome"));
        assertEquals(500, number(failure, "statusCode"));
        assertTrue(failure.containsKey("latencyMs"), failure.toString());
        assertTrue(failure.containsKey("nextAttemptAt"), "a retry is scheduled: " + failure);

        List<Map<String, Object>> dead = ofBatch.stream().filter(r -> "message dead-lettered".equals(r.get("message"))).toList();
        assertEquals(1, dead.size(), ofBatch.toString());
        assertEquals(poisonId, dead.get(0).get("messageId"));
        assertEquals("ERROR", dead.get(0).get("level"));
        assertTrue(((String) dead.get(0).get("reason")).contains("unknown event type"), dead.get(0).toString());
        assertTrue(ofBatch.stream().noneMatch(r -> String.valueOf(r).contains(okHook) && !r.containsKey("_aws")),
                "nothing is logged of a delivered attempt: " + ofBatch);

        // The EMF record: CloudWatch makes metrics of it; its values are the batch's counts.
        List<Map<String, Object>> emf = ofBatch.stream().filter(r -> r.containsKey("_aws")).toList();
        assertEquals(1, emf.size(), ofBatch.toString());
        Map<String, Object> metrics = emf.get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> aws = (Map<String, Object>) metrics.get("_aws");
        assertTrue(String.valueOf(aws.get("CloudWatchMetrics")).contains("Namespace=AstraWebhooks"), aws.toString());
        assertEquals(1, number(metrics, "Delivered"));
        assertEquals(1, number(metrics, "Failed"));
        assertEquals(1, number(metrics, "Intercepted"));
        assertEquals(0, number(metrics, "Blocked"));
        assertEquals(1, number(metrics, "DeadLettered"));
        assertEquals(1, number(metrics, "RetriesScheduled"));
        Object latency = metrics.get("DeliveryLatency");
        assertEquals(2, latency instanceof List<?> l ? l.size() : 1, "a latency per delivery made: " + latency);
        assertNotNull(metrics.get("BatchDuration"));
        assertTrue(receiver.requests("/ok").stream().anyMatch(r -> r.body().contains(deliveredEvent)));
        assertEquals(0, receiver.requests("/never").size());
    }

    private static Map<String, Object> batchLine(String requestId) {
        return records().stream().filter(r -> "batch done".equals(r.get("message")) && requestId.equals(r.get("requestId")))
                .findFirst().orElse(null);
    }

    private static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        // The same delay on all four makes them visible together, so one receive takes them all.
        return SendMessageBatchRequestEntry.builder().id(id).messageBody(body).delaySeconds(2).build();
    }

    /** Every function log record that is a JSON object. */
    private static List<Map<String, Object>> records() {
        return FunctionLogs.recent().stream().filter(l -> l.startsWith("{")).map(DispatcherLogsAndMetricsTest::parse)
                .filter(m -> m != null).toList();
    }

    private static Map<String, Object> parse(String line) {
        try {
            return Json.parseObject(line);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static long number(Map<String, Object> record, String field) {
        Object v = record.get(field);
        return v instanceof Number n ? n.longValue() : -1;
    }
}
