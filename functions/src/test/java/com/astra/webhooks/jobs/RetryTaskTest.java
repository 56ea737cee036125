package com.astra.webhooks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.astra.webhooks.model.Dispatch;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryTaskTest {

    @Test
    void aRecoverChainKeepsItsTriggerThroughTheQueue() throws Exception {
        RetryTask task = new RetryTask("t", "evt_1", "agent_completed", "wh_1", 2, Instant.parse("2026-11-27T12:00:00Z"),
                "dispatch_1", Dispatch.Trigger.RECOVER);
        assertEquals(task, RetryTask.fromJson(task.toJson()));
    }

    @Test
    void aRetryQueuedBeforeTriggersExistedContinuesAnEventsChain() throws Exception {
        String old = "{\"tenant\":\"t\",\"eventId\":\"evt_1\",\"eventType\":\"agent_completed\",\"webhookId\":\"wh_1\","
                + "\"attempt\":3,\"dueAt\":\"2026-11-27T12:00:00Z\",\"previousId\":\"dispatch_1\"}";
        assertEquals(Dispatch.Trigger.EVENT, RetryTask.fromJson(old).trigger());
    }

    @Test
    void anUnknownTriggerIsPoison() {
        String bad = "{\"tenant\":\"t\",\"eventId\":\"evt_1\",\"eventType\":\"agent_completed\",\"webhookId\":\"wh_1\","
                + "\"attempt\":3,\"dueAt\":\"2026-11-27T12:00:00Z\",\"previousId\":\"dispatch_1\",\"trigger\":\"magic\"}";
        org.junit.jupiter.api.Assertions.assertThrows(PoisonMessageException.class, () -> RetryTask.fromJson(bad));
    }
}
