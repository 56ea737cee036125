package com.astra.webhooks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.store.DispatchStore.ClearPosition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every kind of job survives its trip through the queue, and what cannot be read is poison with a reason. */
class JobCodecTest {

    private static final Instant AT = Instant.parse("2026-11-27T12:00:00.123Z");
    private final JobCodec codec = new JobCodec(new EventTypeCatalog(EventTypeCatalog.DEFAULT),
            Clock.fixed(AT, ZoneOffset.UTC));

    private static final List<Job> ONE_OF_EACH = List.of(
            new AgentEvent(new Event("evt_1", "t-1", "agent_completed", AT, Map.of("run", "r_1"))),
            new RetryTask("t-1", "evt_1", "agent_completed", "wh_1", 2, AT, "dispatch_1", Dispatch.Trigger.RECOVER,
                    AT.plusSeconds(5), "rcv_1"),
            new RecoveryPage("t-1", "wh_1", AT.minusSeconds(3600), AT, "dispatch_9"),
            new TestLogClearChunk("t-1", AT, new ClearPosition("wh_1", "dispatch_2")),
            new SecretExpiry("t-1", "wh_1", AT),
            new Poison("not json", "message is not a JSON object"));

    @Test
    void everyKindIsCovered() {
        Set<Job.Kind> covered = ONE_OF_EACH.stream().map(Job::kind).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(Job.Kind.class), covered);
    }

    @Test
    void everyJobButPoisonComesBackAsItWent() {
        for (Job job : ONE_OF_EACH) {
            if (job instanceof Poison) {
                continue; // poison goes to the dead-letter queue, not back to the dispatcher
            }
            assertEquals(job, codec.decode(message(JobCodec.encode(job))), job.kind().toString());
        }
    }

    @Test
    void poisonIsEncodedForTheDeadLetterQueueWithItsReason() {
        assertEquals(new JobCodec.Encoded("not json", Map.of("reason", "bad")), JobCodec.encode(new Poison("not json", "bad")));
        assertEquals("(empty message)", JobCodec.encode(new Poison("", "bad")).body(), "SQS refuses an empty body");
    }

    @Test
    void aMessageWithoutAKindIsAnAgentsEvent() {
        Job job = codec.decode(new QueueMessage("m-1", "{\"event\":\"agent_completed\",\"tenant\":\"t-1\",\"id\":\"e1\"}",
                Map.of(), 1));
        AgentEvent event = assertInstanceOf(AgentEvent.class, job);
        assertEquals("e1", event.event().id());
        assertEquals(AT, event.event().timestamp(), "no timestamp: the time it was read");
    }

    @Test
    void anAgentsMessageThatCannotBeReadIsPoisonWithIncomingEventsReason() {
        assertEquals(new Poison("[]", "message is not a JSON object"),
                codec.decode(new QueueMessage("m-1", "[]", Map.of(), 1)));
    }

    @Test
    void aRetryOnTheSlowLaneIsMarkedSoAndOnlyThen() {
        RetryTask task = new RetryTask("t-1", "evt_1", "agent_completed", "wh_1", 1, AT, null);
        QueueMessage slow = message(JobCodec.encodeForSlowLane(task));
        QueueMessage fast = message(JobCodec.encode(task));
        assertTrue(JobCodec.onSlowLane(slow));
        assertFalse(JobCodec.onSlowLane(fast));
        assertEquals(task, codec.decode(slow));
        assertEquals(task, codec.decode(fast));
    }

    private static QueueMessage message(JobCodec.Encoded encoded) {
        return new QueueMessage("m-1", encoded.body(), encoded.attributes(), 1);
    }
}
