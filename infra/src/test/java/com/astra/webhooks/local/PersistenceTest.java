package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Queued messages and table items survive the runner stopping, both by SIGTERM and by kill -9,
 * because the runner runs here as a separate JVM that the test can kill outright.
 */
class PersistenceTest {

    @TempDir
    Path dataDir;

    private final int sqsPort = LocalRunner.freePort();
    private final int dynamoPort = LocalRunner.freePort();
    private Process runner;

    @AfterEach
    void stopRunner() throws InterruptedException {
        ChildRunner.stop(runner, dataDir);
    }

    @Test
    void stateSurvivesGracefulStopAndKillMinusNine() throws Exception {
        runner = startRunner();
        List<String> sent = new ArrayList<>(send("graceful", 15));
        putItem("item-1");

        runner.destroy(); // SIGTERM: the shutdown hook runs
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "runner stops on SIGTERM");
        assertEquals(143, runner.exitValue());
        assertDynoxideGone();

        runner = startRunner();
        assertEquals(Set.copyOf(sent), receiveAll(sent.size()));
        assertTrue(hasItem("item-1"));

        // the last writes right before a hard kill are the ones a lazy disk flush would lose
        sent.addAll(send("hard", 10));
        putItem("item-2");
        runner.destroyForcibly(); // SIGKILL: no hook, no flush
        runner.waitFor(30, TimeUnit.SECONDS);
        assertDynoxideGone();

        runner = startRunner();
        assertEquals(Set.copyOf(sent), receiveAll(sent.size()));
        assertTrue(hasItem("item-1"));
        assertTrue(hasItem("item-2"));
    }

    private Process startRunner() throws IOException {
        // no pollers: nothing consumes the queue, so what is there is what was persisted
        return ChildRunner.start(ChildRunner.command(dataDir, null, 0, sqsPort, dynamoPort, 0), new StringBuilder());
    }

    private List<String> send(String prefix, int count) {
        List<String> bodies = new ArrayList<>();
        try (SqsClient sqs = sqs()) {
            String url = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
            for (int i = 0; i < count; i += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int j = i; j < Math.min(count, i + 10); j++) {
                    String body = "{\"event\":\"agent_completed\",\"tenant\":\"t\",\"n\":\"" + prefix + "-" + j + "\"}";
                    bodies.add(body);
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(body).build());
                }
                var result = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                assertTrue(result.failed().isEmpty(), result.failed().toString());
            }
        }
        return bodies;
    }

    /** Visibility 0 leaves messages in the queue, so repeated reads converge on the full set. */
    private Set<String> receiveAll(int expected) {
        Set<String> bodies = new HashSet<>();
        try (SqsClient sqs = sqs()) {
            String url = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
            Eventually.await(Duration.ofSeconds(30), expected + " messages after restart (have " + bodies.size() + ")", () -> {
                sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(1))
                        .messages().forEach(m -> bodies.add(m.body()));
                return bodies.size() >= expected;
            });
        }
        return bodies;
    }

    private void putItem(String id) {
        try (DynamoDbClient dynamo = dynamo()) {
            dynamo.putItem(b -> b.tableName(LocalRunner.TABLE_NAME).item(key(id)));
        }
    }

    private boolean hasItem(String id) {
        try (DynamoDbClient dynamo = dynamo()) {
            return dynamo.getItem(b -> b.tableName(LocalRunner.TABLE_NAME).key(key(id)).consistentRead(true)).hasItem();
        }
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", AttributeValue.fromS("TEST#" + id), "sk", AttributeValue.fromS("ITEM"));
    }

    /** The dynoxide child must not outlive its runner, however the runner ended. */
    private void assertDynoxideGone() throws IOException {
        Path pidFile = dataDir.resolve("dynoxide.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Eventually.await(Duration.ofSeconds(15), "dynoxide " + pid + " to exit",
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
        Eventually.await(Duration.ofSeconds(15), "port " + dynamoPort + " to be free", () -> {
            try (var s = new java.net.ServerSocket(dynamoPort, 1, java.net.InetAddress.getLoopbackAddress())) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private SqsClient sqs() {
        return AwsClients.sqs(config());
    }

    private DynamoDbClient dynamo() {
        return AwsClients.dynamoDb(config());
    }

    private Settings config() {
        return Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, "http://127.0.0.1:" + sqsPort,
                Settings.AWS_ENDPOINT_URL_DYNAMODB, "http://127.0.0.1:" + dynamoPort, Settings.AWS_REGION, "us-east-1"));
    }
}
