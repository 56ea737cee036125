package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.testing.RecordingQueues;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import com.astra.webhooks.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoDisableTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final SettableClock clock = new SettableClock(T0);
    private final RecordingQueues queues = new RecordingQueues();
    private final List<String> published = queues.published;
    private final AutoDisable autoDisable = new AutoDisable(store, queues, Duration.ofDays(5), clock);

    private final Webhook healthy = webhook(null);

    private static Webhook webhook(Instant failingSince) {
        return new Webhook("wh_1", "t", "https://e.com/h", List.of("*"), null, true, T0, T0, "whsec_a", null, Map.of(),
                null, null, null, failingSince);
    }

    private static Dispatch dispatch(Dispatch.Outcome outcome, Instant next) {
        return new Dispatch("dispatch_1", "t", "wh_1", "evt_1", "agent_completed", "https://e.com/h", 8, outcome, 500,
                "", 1, null, Map.of(), null, T0, next, Dispatch.Trigger.EVENT);
    }

    @Test
    void aHealthyWebhookCostsNoWriteOnSuccessAndAFailureWithARetryPendingCostsNone() {
        store.create(healthy);
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.DELIVERED, null));
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.FAILED, T0.plusSeconds(5)));
        assertEquals(List.of(), store.log);
    }

    @Test
    void threeFinalFailuresOverFiveDaysDisableOnceAndAnnounceIt() {
        store.create(healthy);
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.FAILED, null));
        clock.set(T0.plus(Duration.ofDays(5)));
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.FAILED, null));
        assertEquals(List.of("mark failing wh_1", "mark failing wh_1"), store.log, "two final failures are not enough");
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.FAILED, null));
        assertEquals("disable wh_1: failing since 2026-11-27T12:00:00.000Z", store.log.get(3));
        assertEquals(1, published.size());
        assertTrue(published.get(0).contains("\"event\":\"webhook.disabled\""), published.get(0));
        assertTrue(published.get(0).contains("\"reason\":\"failing since 2026-11-27T12:00:00.000Z\""), published.get(0));
    }

    @Test
    void aSuccessClearsTheRunOnlyWhenTheWebhookCarriesIt() {
        store.create(healthy);
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.FAILED, null));
        autoDisable.recorded(webhook(T0), dispatch(Dispatch.Outcome.DELIVERED, null));
        clock.set(T0.plus(Duration.ofDays(6)));
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.FAILED, null));
        autoDisable.recorded(healthy, dispatch(Dispatch.Outcome.FAILED, null));
        assertEquals(List.of("mark failing wh_1", "clear failing wh_1", "mark failing wh_1", "mark failing wh_1"), store.log);
        assertEquals(List.of(), published);
    }
}
