package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.client.AgentEvent;
import com.astra.webhooks.client.AstraEvents;
import com.astra.webhooks.core.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent client library end to end: published through it, delivered by the real dispatcher. */
@ExtendWith(AstraLocalExtension.class)
class AgentClientDeliveryTest {

    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void twentyFiveEventsPublishedInOneCallAreEachDeliveredOnceUnderTheIdsTheClientReturned() {
        String tenant = "t-" + UUID.randomUUID();
        Http.Response created = AstraLocalExtension.http().post("/webhooks", AstraLocalExtension.token(tenant),
                Json.write(Map.of("url", receiver.url("/agent"), "events", List.of("tool.executed"))));
        assertEquals(201, created.status(), created.body());

        AstraEvents events = AstraEvents.builder()
                .queueUrl(AstraLocalExtension.eventsQueueUrl())
                .sqsClient(AstraLocalExtension.sqs())
                .build();
        List<AgentEvent> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(AgentEvent.of(tenant, "tool.executed", Map.of("step", i)));
        }
        Set<String> published = new TreeSet<>(events.publishAll(batch));

        List<Receiver.Request> got = receiver.await("/agent", 25, Duration.ofSeconds(30));
        Set<String> delivered = new TreeSet<>();
        got.forEach(r -> delivered.add(r.header("webhook-id")));
        assertEquals(25, got.size(), "each event once");
        assertEquals(published, delivered);
    }
}
