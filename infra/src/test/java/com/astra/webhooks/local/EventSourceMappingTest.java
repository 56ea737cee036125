package com.astra.webhooks.local;

import com.astra.webhooks.core.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The poller against the stub dispatcher and a queue with a 1 s visibility timeout and
 * maxReceiveCount 2 (test-template.yaml): successes are deleted, reported failures come back
 * and end up in the DLQ, a thrown error fails the whole batch.
 */
class EventSourceMappingTest {

    static LocalRunner runner;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        runner = StubStack.start();
        sqs = AwsClients.sqs(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint(), Settings.AWS_REGION, "us-east-1")));
    }

    @AfterAll
    static void stop() {
        sqs.close();
        runner.close();
    }

    @Test
    void queuesFollowTheTemplate() {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(runner.eventsQueueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("1", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        String redrive = attributes.get(QueueAttributeName.REDRIVE_POLICY);
        assertTrue(redrive.contains("astra-events-dlq") && redrive.contains("2"), redrive);
        assertTrue(runner.dlqUrl().endsWith("/astra-events-dlq"));
    }

    @Test
    void deliversEventsLikeLambdaAndDeletesSuccesses() {
        String marker = "ok-" + System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(runner.eventsQueueUrl()).messageBody(marker)
                .messageAttributes(Map.of("source", MessageAttributeValue.builder().dataType("String").stringValue("agent-7").build())));
        Eventually.await(Duration.ofSeconds(20), "the stub dispatcher to see " + marker,
                () -> StubDispatcher.received().stream().anyMatch(m -> StubDispatcher.body(m).equals(marker)));
        Map<String, Object> m = StubDispatcher.received().stream().filter(x -> StubDispatcher.body(x).equals(marker)).findFirst().orElseThrow();
        assertEquals("aws:sqs", m.get("eventSource"));
        assertTrue(((String) m.get("eventSourceArn")).endsWith(":astra-events"), (String) m.get("eventSourceArn"));
        assertEquals("us-east-1", m.get("awsRegion"));
        assertNotNull(m.get("messageId"));
        assertNotNull(m.get("receiptHandle"));
        assertEquals(md5Hex(marker), m.get("md5OfBody"));
        @SuppressWarnings("unchecked") Map<String, String> attributes = (Map<String, String>) m.get("attributes");
        assertEquals("1", attributes.get("ApproximateReceiveCount"));
        assertNotNull(attributes.get("SentTimestamp"));
        assertEquals(Map.of("source", List.of("String", "agent-7")), m.get("messageAttributes"));
        // deleted: it is never handed over a second time, even after several visibility timeouts
        Eventually.await(Duration.ofSeconds(20), "the queue to drain", () -> queueDepth(runner.eventsQueueUrl()) == 0);
        assertEquals(1, StubDispatcher.received().stream().filter(x -> StubDispatcher.body(x).equals(marker)).count());
    }

    @Test
    void functionLogAndMetricRecordsReachTheRunnerOutputOneLineEach() throws Exception {
        String marker = "logged-" + System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(runner.eventsQueueUrl()).messageBody(marker));
        Eventually.await(Duration.ofSeconds(20), "the stub dispatcher to see " + marker,
                () -> StubDispatcher.received().stream().anyMatch(m -> StubDispatcher.body(m).equals(marker)));
        String messageId = (String) StubDispatcher.received().stream().filter(x -> StubDispatcher.body(x).equals(marker))
                .findFirst().orElseThrow().get("messageId");
        Eventually.await(Duration.ofSeconds(10), "the batch's log record",
                () -> FunctionLogs.recent().stream().anyMatch(l -> l.contains(messageId)));
        Map<String, Object> log = Json.parseObject(FunctionLogs.recent().stream().filter(l -> l.contains(messageId))
                .findFirst().orElseThrow());
        assertEquals("batch", log.get("message"));
        String requestId = (String) log.get("requestId");
        assertNotNull(requestId);
        Eventually.await(Duration.ofSeconds(10), "the batch's EMF record",
                () -> FunctionLogs.recent().stream().anyMatch(l -> l.contains("\"_aws\"") && l.contains(requestId)));
        Map<String, Object> emf = Json.parseObject(FunctionLogs.recent().stream()
                .filter(l -> l.contains("\"_aws\"") && l.contains(requestId)).findFirst().orElseThrow());
        assertEquals(((Number) log.get("messages")).doubleValue(), ((Number) emf.get("Delivered")).doubleValue()
                + ((Number) emf.get("Failed")).doubleValue());
        assertTrue(emf.toString().contains("AstraWebhooks"), emf.toString());
    }

    @Test
    void reportedFailuresAreRetriedThenRedrivenToTheDlqWithoutHoldingUpTheRest() {
        String failing = "fail-" + System.nanoTime();
        String fine = "fine-" + System.nanoTime();
        sqs.sendMessageBatch(b -> b.queueUrl(runner.eventsQueueUrl()).entries(
                e -> e.id("1").messageBody(failing), e -> e.id("2").messageBody(fine)));
        List<Message> dead = awaitDlq(failing);
        assertEquals(1, dead.size());
        assertEquals(2, StubDispatcher.received().stream().filter(x -> StubDispatcher.body(x).equals(failing)).count(),
                "maxReceiveCount is 2");
        assertEquals(1, StubDispatcher.received().stream().filter(x -> StubDispatcher.body(x).equals(fine)).count());
    }

    @Test
    void aThrownErrorFailsTheWholeBatch() {
        String thrower = "throw-" + System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(runner.eventsQueueUrl()).messageBody(thrower));
        awaitDlq(thrower);
        assertEquals(2, StubDispatcher.received().stream().filter(x -> StubDispatcher.body(x).equals(thrower)).count());
    }

    @Test
    void batchesHoldUpToTenMessages() {
        String prefix = "bulk-" + System.nanoTime() + "-";
        for (int chunk = 0; chunk < 3; chunk++) {
            int base = chunk * 10;
            sqs.sendMessageBatch(b -> b.queueUrl(runner.eventsQueueUrl()).entries(
                    IntStream.range(0, 10).mapToObj(i -> SendMessageBatchRequestEntry.builder()
                            .id("e" + i).messageBody(prefix + (base + i)).build()).toList()));
        }
        Eventually.await(Duration.ofSeconds(20), "all 30 bulk messages", () -> StubDispatcher.received().stream()
                .filter(x -> StubDispatcher.body(x).startsWith(prefix)).map(StubDispatcher::body).distinct().count() == 30);
        assertTrue(StubDispatcher.batchSizes().stream().allMatch(n -> n >= 1 && n <= 10));
    }

    private List<Message> awaitDlq(String body) {
        Set<String> seen = new HashSet<>();
        List<Message> found = new ArrayList<>();
        Eventually.await(Duration.ofSeconds(30), body + " in the DLQ", () -> {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(runner.dlqUrl()).maxNumberOfMessages(10)
                    .visibilityTimeout(0).waitTimeSeconds(1)).messages()) {
                if (m.body().equals(body) && seen.add(m.messageId())) {
                    found.add(m);
                }
            }
            return !found.isEmpty();
        });
        return found;
    }

    private static String md5Hex(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private int queueDepth(String url) {
        var a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
