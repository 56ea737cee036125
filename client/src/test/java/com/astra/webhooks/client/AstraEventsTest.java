package com.astra.webhooks.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** AstraEvents against ElasticMQ, a real SQS-compatible server, in this JVM on loopback. */
class AstraEventsTest {

    private static SQSRestServer server;
    private static SqsClient sqs;
    /** The SQS operations the client made, in order: what went over the wire. */
    private static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(0).start();
        int port = server.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        CALLS.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                    }
                }))
                .build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        server.stopAndWait();
    }

    private static String newQueue() {
        return sqs.createQueue(b -> b.queueName("events-" + UUID.randomUUID())).queueUrl();
    }

    private static List<Message> drain(String queueUrl, int expected) {
        List<Message> all = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (all.size() < expected && System.nanoTime() < deadline) {
            all.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
        }
        return all;
    }

    @Test
    void publishingTwentyFiveEventsInOneCallSendsThreeBatchesAndLandsTwentyFiveMessages() {
        String queue = newQueue();
        AstraEvents events = AstraEvents.builder().queueUrl(queue).sqsClient(sqs).build();
        List<AgentEvent> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(AgentEvent.of("t-123", "agent_completed", Map.of("run", i)));
        }
        CALLS.clear();
        List<String> ids = events.publishAll(batch);

        assertEquals(List.of("SendMessageBatch", "SendMessageBatch", "SendMessageBatch"), CALLS);
        assertEquals(25, new HashSet<>(ids).size());
        ids.forEach(id -> assertTrue(id.matches("evt_[0-9a-z]{26}"), id));
        List<Message> landed = drain(queue, 25);
        assertEquals(25, landed.size());
        Set<String> bodies = new HashSet<>();
        landed.forEach(m -> bodies.add(m.body()));
        for (int i = 0; i < 25; i++) {
            assertTrue(bodies.contains("{\"id\":\"" + ids.get(i) + "\",\"event\":\"agent_completed\",\"tenant\":\"t-123\","
                    + "\"data\":{\"run\":" + i + "}}"), "event " + i + " landed as sent");
        }
    }

    @Test
    void publishReturnsTheIdItSentAndKeepsAGivenOne() {
        String queue = newQueue();
        AstraEvents events = AstraEvents.builder().queueUrl(queue).sqsClient(sqs).build();
        String made = events.publish("t-1", "tool.executed", Map.of("tool", "search", "ok", true));
        String kept = events.publish(new AgentEvent("t-1", "memory.written", null, "evt_mine-1", null));
        assertEquals("evt_mine-1", kept);
        List<Message> landed = drain(queue, 2);
        Set<String> bodies = new HashSet<>();
        landed.forEach(m -> bodies.add(m.body()));
        assertTrue(bodies.contains("{\"id\":\"" + made + "\",\"event\":\"tool.executed\",\"tenant\":\"t-1\",\"data\":"
                + JsonText.write(Map.of("tool", "search", "ok", true)) + "}"), bodies.toString());
        assertTrue(bodies.contains("{\"id\":\"evt_mine-1\",\"event\":\"memory.written\",\"tenant\":\"t-1\",\"data\":{}}"));
    }

    @Test
    void anOversizedEventIsRefusedBeforeAnyNetworkCall() {
        AstraEvents events = AstraEvents.builder().queueUrl(newQueue()).sqsClient(sqs).build();
        CALLS.clear();
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
                () -> events.publish("t-1", "agent_completed", Map.of("blob", "x".repeat(AstraEvents.MAX_MESSAGE_BYTES))));
        assertTrue(single.getMessage().contains("SQS takes at most 262144"), single.getMessage());
        List<AgentEvent> batch = List.of(AgentEvent.of("t-1", "agent_completed", Map.of()),
                AgentEvent.of("t-1", "agent_completed", Map.of("blob", "é".repeat(AstraEvents.MAX_MESSAGE_BYTES / 2))));
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> events.publishAll(batch));
        assertTrue(all.getMessage().startsWith("event 1:"), all.getMessage());
        assertEquals(List.of(), CALLS, "nothing was sent, not even the valid first event");
    }

    @Test
    void whatTheDispatcherWouldRefuseIsRefusedHere() {
        AstraEvents events = AstraEvents.builder().queueUrl(newQueue()).sqsClient(sqs).build();
        CALLS.clear();
        assertThrows(IllegalArgumentException.class, () -> events.publish("t-1", "agent.exploded", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> events.publish("t-1", "webhook.disabled", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> events.publish("acme#evil", "agent_completed", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> events.publish(" ", "agent_completed", Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> events.publish(new AgentEvent("t-1", "agent_completed", null, "has space", null)));
        assertThrows(IllegalArgumentException.class,
                () -> events.publish("t-1", "agent_completed", Map.of("bad", Double.NaN)));
        assertThrows(IllegalArgumentException.class,
                () -> events.publish("t-1", "agent_completed", Map.of("bad", new Object())));
        assertEquals(List.of(), CALLS);
    }

    @Test
    void batchesAlsoStayUnderSqsTotalSizeLimit() {
        String queue = newQueue();
        AstraEvents events = AstraEvents.builder().queueUrl(queue).sqsClient(sqs).build();
        List<AgentEvent> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(AgentEvent.of("t-1", "agent_completed", Map.of("blob", "x".repeat(100_000))));
        }
        CALLS.clear();
        events.publishAll(batch);
        assertEquals(List.of("SendMessageBatch", "SendMessageBatch"), CALLS, "2 x 100 KB per call, under 256 KiB");
        assertEquals(4, drain(queue, 4).size());
    }

    @Test
    void entriesSqsRefusesAreSurfacedWithTheOnesItTook() {
        // A FIFO queue refuses every entry that lacks a message group: SQS answers per entry.
        String fifo = sqs.createQueue(b -> b.queueName("events-" + UUID.randomUUID() + ".fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        AstraEvents events = AstraEvents.builder().queueUrl(fifo).sqsClient(sqs).build();
        List<AgentEvent> batch = List.of(AgentEvent.of("t-1", "agent_completed", Map.of()),
                AgentEvent.of("t-1", "agent_completed", Map.of()));
        PublishException e = assertThrows(PublishException.class, () -> events.publishAll(batch));
        assertEquals(2, e.failed().size() + e.published().size());
        assertTrue(e.failed().size() >= 1);
        e.failed().forEach(f -> assertTrue(f.event().id().startsWith("evt_")));
    }

    @Test
    void aFailedCallIsSurfacedForEveryEventItCarried() {
        AstraEvents events = AstraEvents.builder().queueUrl(newQueue() + "-gone").sqsClient(sqs).build();
        List<AgentEvent> batch = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batch.add(AgentEvent.of("t-1", "agent_completed", Map.of()));
        }
        PublishException e = assertThrows(PublishException.class, () -> events.publishAll(batch));
        assertEquals(12, e.failed().size());
        assertEquals(0, e.published().size());
        assertTrue(e.getCause() != null);
    }

    @Test
    void idsAreUlidShapedAndOrderedByTime() {
        String a = EventIds.newId(1_700_000_000_000L);
        String b = EventIds.newId(1_700_000_000_001L);
        assertTrue(a.matches("evt_[0-9a-hjkmnp-tv-z]{26}"), a);
        assertTrue(a.substring(0, 14).compareTo(b.substring(0, 14)) < 0);
    }
}
