package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import com.astra.webhooks.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a receiver counts as recently slow, and what that costs in writes: only the changes are written. */
class ReceiverHealthTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final SettableClock clock = new SettableClock(NOW);
    private final ReceiverHealth health = new ReceiverHealth(store, Duration.ofSeconds(1), clock);

    @Test
    void aHealthyReceiverCostsNoWriteAndIsNeverSlow() {
        Webhook w = webhook(null);
        for (int i = 0; i < 100; i++) {
            health.attempted(w, attempt(Dispatch.Outcome.DELIVERED, 30, null));
            health.attempted(w, attempt(Dispatch.Outcome.FAILED, 5, "connection refused"));
        }
        assertEquals(List.of(), store.log);
        assertFalse(health.isSlow(w));
    }

    @Test
    void aTimeoutOrAnAnswerPastTheThresholdMarksTheWebhookOnce() {
        Webhook w = webhook(null);
        health.attempted(w, attempt(Dispatch.Outcome.FAILED, 2000, "timeout after 2000 ms"));
        health.attempted(w, attempt(Dispatch.Outcome.DELIVERED, 1500, null));
        assertEquals(List.of("mark slow wh_1"), store.log);
        assertTrue(health.isSlow(w), "this container knows before the mark is read back");
        assertTrue(health.justFoundSlow("t", "wh_1"));
    }

    @Test
    void theMarkAsReadDecidesOnceThisContainersOwnLookIsStale() {
        Webhook marked = webhook(NOW);
        assertTrue(health.isSlow(marked), "marked by another worker");
        health.attempted(marked, attempt(Dispatch.Outcome.DELIVERED, 40, null));
        assertEquals(List.of("clear slow wh_1"), store.log, "answering in time clears the mark");
        assertFalse(health.isSlow(marked), "back on the normal path at once here");
        clock.set(NOW.plus(ReceiverHealth.FRESH).plusMillis(1));
        assertTrue(health.isSlow(marked), "a stale look gives way to the mark as read");
        assertFalse(health.isSlow(webhook(null)));
    }

    @Test
    void anInterceptedAttemptSaysNothingAboutTheReceiver() {
        Webhook marked = webhook(NOW);
        health.attempted(marked, attempt(Dispatch.Outcome.INTERCEPTED, 0, null));
        assertEquals(List.of(), store.log);
    }

    @Test
    void theFastLaneWaitsAtMostSlowAfterOrHalfTheTimeout() {
        assertEquals(Duration.ofSeconds(1), SlowLane.threshold(Duration.ofSeconds(1), Duration.ofSeconds(10)));
        assertEquals(Duration.ofMillis(750), SlowLane.threshold(Duration.ofSeconds(1), Duration.ofMillis(1500)));
    }

    private static Webhook webhook(Instant slowSince) {
        return new Webhook("wh_1", "t", "https://example.com/", List.of(Webhook.ALL_EVENTS), null, true, NOW, NOW,
                "whsec_x", null, Map.of(), null, null, null, null, com.astra.webhooks.model.Signing.HMAC, null, null,
                slowSince);
    }

    private static Dispatch attempt(Dispatch.Outcome outcome, long latencyMs, String error) {
        return new Dispatch("dispatch_1", "t", "wh_1", "evt_1", "agent_completed", "https://example.com/", 1, outcome,
                outcome == Dispatch.Outcome.DELIVERED ? 200 : null, "", latencyMs, error, Map.of(), null, NOW, null,
                Dispatch.Trigger.EVENT);
    }
}
