package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** What an attempt's outcome means, on its own: no store, queue or receiver involved. */
class AttemptOutcomeTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** nextDouble() is 0.5: the schedule's jitter factor is exactly 1. */
    private static final RandomGenerator NO_JITTER = () -> Long.MIN_VALUE;
    private static final RetrySchedule SCHEDULE =
            RetrySchedule.of(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1))).withRandom(NO_JITTER);

    private final AttemptOutcome outcome = new AttemptOutcome(SCHEDULE, null, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void a410StopsWithoutANextAttempt() {
        AttemptOutcome.Judged judged = outcome.judge(webhook(), sent(410, null, 1), 1, Dispatch.Trigger.RECOVER);
        assertTrue(judged.gone());
        assertNull(judged.dispatch().nextAttemptAt());
        assertEquals(Dispatch.Trigger.RECOVER, judged.dispatch().trigger());
    }

    @Test
    void aFailureGetsTheSchedulesNextAttempt() {
        AttemptOutcome.Judged judged = outcome.judge(webhook(), sent(500, null, 1), 1, Dispatch.Trigger.EVENT);
        assertFalse(judged.gone());
        assertEquals(NOW.plusSeconds(10), judged.dispatch().nextAttemptAt());
    }

    @Test
    void retryAfterLengthensTheWaitOnlyWhereItsStatusAllowsIt() {
        assertEquals(NOW.plusSeconds(120),
                outcome.judge(webhook(), sent(503, "120", 1), 1, Dispatch.Trigger.EVENT).dispatch().nextAttemptAt());
        assertEquals(NOW.plusSeconds(10),
                outcome.judge(webhook(), sent(500, "120", 1), 1, Dispatch.Trigger.EVENT).dispatch().nextAttemptAt());
    }

    @Test
    void theLastAttemptAndADeliveryGetNoNextAttempt() {
        assertNull(outcome.judge(webhook(), sent(500, null, 3), 3, Dispatch.Trigger.EVENT).dispatch().nextAttemptAt());
        AttemptOutcome.Judged delivered = outcome.judge(webhook(), sent(200, null, 1), 1, Dispatch.Trigger.EVENT);
        assertFalse(delivered.gone());
        assertNull(delivered.dispatch().nextAttemptAt());
    }

    private static Webhook webhook() {
        return new Webhook("wh_1", "t", "https://example.com/", List.of(Webhook.ALL_EVENTS), null, true, NOW, NOW,
                "whsec_x", null, Map.of(), null, null, null, null, Signing.HMAC, null, null, null);
    }

    private static Sender.Sent sent(int status, String retryAfter, int attempt) {
        Dispatch.Outcome result = status < 300 ? Dispatch.Outcome.DELIVERED : Dispatch.Outcome.FAILED;
        return new Sender.Sent(new Dispatch("dispatch_1", "t", "wh_1", "evt_1", "agent_completed",
                "https://example.com/", attempt, result, status, "", 5, null, Map.of(), null, NOW, null,
                Dispatch.Trigger.EVENT), retryAfter);
    }
}
