package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the runner's FIFO polling relies on, checked against the embedded ElasticMQ rather than
 * assumed: order within a group, a group held while any of its messages is in flight (one batch
 * per group at a time), other groups free meanwhile, deduplication by MessageDeduplicationId, and
 * the group id handed back as a system attribute, as Lambda puts it in the event; and, over a
 * restart from the data dir, the order of a group whose first messages were in flight and a
 * restored message that, once received, holds its group as before.
 */
class ElasticMqFifoTest {

    static EmbeddedSqs sqsServer;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        sqsServer = EmbeddedSqs.start(0, null, Duration.ZERO);
        sqs = client(sqsServer);
    }

    private static SqsClient client(EmbeddedSqs server) {
        return AwsClients.sqs(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, server.internalEndpoint(),
                Settings.AWS_REGION, "us-east-1")));
    }

    @AfterAll
    static void stop() {
        sqs.close();
        sqsServer.close();
    }

    private static String fifo(String name) {
        return fifo(sqs, name);
    }

    private static String fifo(SqsClient client, String name) {
        return client.createQueue(b -> b.queueName(name + ".fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    }

    private static void send(String url, String group, String body) {
        send(sqs, url, group, body);
    }

    /** The body is its own deduplication id. */
    private static void send(SqsClient client, String url, String group, String body) {
        client.sendMessage(b -> b.queueUrl(url).messageGroupId(group).messageDeduplicationId(body).messageBody(body));
    }

    private static List<Message> receive(String url, int max) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    @Test
    void aGroupIsHeldWhileAnyOfItsMessagesIsInFlightAndOtherGroupsAreNot() {
        String url = fifo("held");
        for (int i = 1; i <= 4; i++) {
            send(url, "g1", "g1-" + i);
        }
        send(url, "g2", "g2-1");
        List<Message> first = receive(url, 2);
        assertEquals(List.of("g1-1", "g1-2"), first.stream().map(Message::body).toList());
        assertEquals("g1", first.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
        // g1 has two in flight: a second poller gets only g2, never g1-3 ahead of them
        List<Message> second = receive(url, 10);
        assertEquals(List.of("g2-1"), second.stream().map(Message::body).toList());
        // g1-1 deleted, g1-2 handed back (visibility 0): the group resumes with g1-2, in order
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.get(0).receiptHandle()));
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.get(1).receiptHandle()).visibilityTimeout(0));
        List<Message> third = receive(url, 10);
        assertEquals(List.of("g1-2", "g1-3", "g1-4"), third.stream().map(Message::body).toList());
    }

    @Test
    void aMessageMadeInvisibleHoldsItsGroupUntilItReturns() {
        String url = fifo("waits");
        send(url, "g", "a");
        send(url, "g", "b");
        List<Message> taken = receive(url, 1);
        assertEquals("a", taken.get(0).body());
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(taken.get(0).receiptHandle()).visibilityTimeout(2));
        assertTrue(receive(url, 10).isEmpty(), "b must wait behind the invisible a");
        List<Message> back = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(5)).messages();
        assertEquals("a", back.get(0).body());
    }

    @Test
    void aRestartFromTheDataDirKeepsTheOrderOfAGroupWithMessagesInFlight(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        List<String> sent = new java.util.ArrayList<>();
        EmbeddedSqs first = EmbeddedSqs.start(0, dir, Duration.ZERO);
        try (SqsClient c = client(first)) {
            String url = fifo(c, "kept");
            for (int i = 0; i < 30; i++) {
                String body = "m-" + i;
                sent.add(body);
                send(c, url, "g", body);
            }
            // the first three are in flight (as a batch being delivered) when the runner stops
            assertEquals(List.of("m-0", "m-1", "m-2"), c.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(3))
                    .messages().stream().map(Message::body).toList());
        } finally {
            first.close();
        }
        // a restart is a new JVM: ElasticMQ's FIFO sequence counter starts again at 0
        EmbeddedSqs.sequenceCounter().set(0);
        EmbeddedSqs second = EmbeddedSqs.start(0, dir, Duration.ZERO);
        try (SqsClient c = client(second)) {
            String url = c.getQueueUrl(b -> b.queueName("kept.fifo")).queueUrl();
            // sent after the restart: it goes after the restored messages of its group
            send(c, url, "g", "late");
            sent.add("late");
            List<String> got = new java.util.ArrayList<>();
            while (got.size() < sent.size()) {
                List<Message> batch = c.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages();
                assertTrue(!batch.isEmpty(), "got " + got);
                batch.forEach(m -> {
                    got.add(m.body());
                    c.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                });
            }
            assertEquals(sent, got);
        } finally {
            second.close();
        }
    }

    /**
     * After a restart the restored messages of a group are still a FIFO group: one of them in
     * flight holds the rest, as before the restart. The second poller must get the other group only.
     */
    @Test
    void afterARestartAReceivedMessageStillHoldsItsGroup(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        EmbeddedSqs first = EmbeddedSqs.start(0, dir, Duration.ZERO);
        try (SqsClient c = client(first)) {
            String url = fifo(c, "held-over");
            for (int i = 0; i < 5; i++) {
                String body = "g-" + i;
                send(c, url, "g", body);
            }
            send(c, url, "h", "h-0");
        } finally {
            first.close();
        }
        EmbeddedSqs.sequenceCounter().set(0);
        EmbeddedSqs second = EmbeddedSqs.start(0, dir, Duration.ZERO);
        try (SqsClient c = client(second)) {
            String url = c.getQueueUrl(b -> b.queueName("held-over.fifo")).queueUrl();
            List<String> got = new java.util.ArrayList<>();
            for (int poll = 0; poll < 4; poll++) {
                c.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(30)).messages()
                        .forEach(m -> got.add(m.body()));
            }
            // g-0 in flight holds g; h-0 is free; nothing else may be handed out
            assertEquals(List.of("g-0", "h-0"), got.stream().sorted().toList(), "received " + got);
        } finally {
            second.close();
        }
    }

    @Test
    void theSameDeduplicationIdIsAcceptedOnce() {
        String url = fifo("dedup");
        send(url, "g", "x");
        send(url, "g", "x");
        send(url, "g", "y");
        assertEquals(List.of("x", "y"), receive(url, 10).stream().map(Message::body).toList());
    }
}
