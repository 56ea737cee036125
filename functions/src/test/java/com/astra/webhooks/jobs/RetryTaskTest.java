package com.astra.webhooks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.testing.JobMessages;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryTaskTest {

    @Test
    void aRecoverChainKeepsItsTriggerThroughTheQueue() throws Exception {
        RetryTask task = new RetryTask("t", "evt_1", "agent_completed", "wh_1", 2, Instant.parse("2026-11-27T12:00:00Z"),
                "dispatch_1", Dispatch.Trigger.RECOVER);
        assertEquals(task, JobMessages.roundTrip(task));
    }

    @Test
    void aRecoverOfAnOrderedDeliveryKeepsItsKeyAndNumberThroughTheQueue() throws Exception {
        RetryTask task = new RetryTask("t", "evt_1", "agent_completed", "wh_1", 1, Instant.parse("2026-11-27T12:00:00Z"),
                "dispatch_1", Dispatch.Trigger.RECOVER, null, "rcv_1", new RetryTask.Ordering("run_42", 7));
        assertEquals(task, JobMessages.roundTrip(task));
        assertEquals(new RetryTask.Ordering("run_42", 7),
                RetryTask.Ordering.sentWith(java.util.Map.of("webhook-ordering-key", "run_42", "webhook-sequence", "7")));
        assertEquals(null, RetryTask.Ordering.sentWith(java.util.Map.of("x-custom", "1")));
    }

    @Test
    void aRetryQueuedBeforeTriggersExistedContinuesAnEventsChain() throws Exception {
        String old = "{\"tenant\":\"t\",\"eventId\":\"evt_1\",\"eventType\":\"agent_completed\",\"webhookId\":\"wh_1\","
                + "\"attempt\":3,\"dueAt\":\"2026-11-27T12:00:00Z\",\"previousId\":\"dispatch_1\"}";
        assertEquals(Dispatch.Trigger.EVENT, ((RetryTask) JobMessages.CODEC.decode(asRetry(old))).trigger());
    }

    @Test
    void anUnknownTriggerIsPoison() {
        String bad = "{\"tenant\":\"t\",\"eventId\":\"evt_1\",\"eventType\":\"agent_completed\",\"webhookId\":\"wh_1\","
                + "\"attempt\":3,\"dueAt\":\"2026-11-27T12:00:00Z\",\"previousId\":\"dispatch_1\",\"trigger\":\"magic\"}";
        assertEquals(new Poison(bad, "retry message is malformed"), JobMessages.CODEC.decode(asRetry(bad)));
    }

    /** {@code body} under a retry's attributes. */
    private static QueueMessage asRetry(String body) {
        RetryTask any = new RetryTask("t", "evt_1", "agent_completed", "wh_1", 1, Instant.EPOCH, null);
        return new QueueMessage("m-1", body, JobCodec.encode(any).attributes(), 1);
    }
}
