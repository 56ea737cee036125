package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.TestLogClearChunk;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.testing.JobMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitGateTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<Instant> slotsHandedOut = new ArrayList<>();
    private final List<Instant> nextSlots = new ArrayList<>();
    private final List<RetryTask> held = new ArrayList<>();
    private final List<Integer> delays = new ArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final Queues queues = new Queues() {
        @Override
        public void scheduleRetry(RetryTask task, int delaySeconds) {
            held.add(task);
            delays.add(delaySeconds);
        }

        @Override
        public void deadLetter(String body, String reason) {
            throw new AssertionError("nothing is dead-lettered");
        }

        @Override
        public void queueAll(List<RetryTask> tasks, int delaySeconds) {
            throw new AssertionError("no recover here");
        }

        @Override
        public void continueRecovery(RecoveryPage page) {
            throw new AssertionError("no recover here");
        }

        @Override
        public void continueTestLogClear(TestLogClearChunk chunk) {
            throw new AssertionError("no clear here");
        }

        @Override
        public void publish(String message) {
            throw new AssertionError("nothing is published");
        }
    };

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private RateLimitGate gate(Clock clock) {
        return new RateLimitGate((tenant, webhookId, limit, now) -> {
            Instant slot = nextSlots.remove(0);
            slotsHandedOut.add(slot);
            return slot;
        }, queues, clock, executor);
    }

    private static Webhook webhook(Integer rateLimit) {
        return new Webhook("wh_1", "t", "https://example.com/", List.of("*"), null, true, NOW, NOW, "whsec_x", null,
                Map.of(), rateLimit, null, null);
    }

    private static RetryTask delivery() {
        return new RetryTask("t", "evt_1", "agent_completed", "wh_1", 1, NOW.minusSeconds(3), null);
    }

    private boolean submit(RateLimitGate gate, Webhook webhook, RetryTask delivery) {
        return gate.submit(webhook, delivery, false, () -> {
            sent.incrementAndGet();
            return true;
        }).join();
    }

    @Test
    void anUnlimitedWebhookSendsWithoutReserving() {
        assertTrue(submit(gate(Clock.fixed(NOW, ZoneOffset.UTC)), webhook(null), delivery()));
        assertEquals(1, sent.get());
        assertTrue(slotsHandedOut.isEmpty(), "no limiter call");
        assertTrue(held.isEmpty());
    }

    @Test
    void aNearSlotIsWaitedForAndSent() {
        Clock clock = Clock.systemUTC();
        nextSlots.add(clock.instant().plusMillis(300));
        long started = System.nanoTime();
        assertTrue(submit(gate(clock), webhook(20), delivery()));
        assertEquals(1, sent.get());
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(250).toNanos(), "not sent before its slot");
        assertTrue(held.isEmpty());
    }

    @Test
    void aFarSlotGoesBackOnTheQueueCarryingItsSlotAndComesBackShortlyBefore() {
        nextSlots.add(NOW.plusMillis(7_400));
        assertTrue(submit(gate(Clock.fixed(NOW, ZoneOffset.UTC)), webhook(20), delivery()), "handled, not failed");
        assertEquals(0, sent.get());
        assertEquals(1, held.size());
        RetryTask back = held.get(0);
        assertEquals(NOW.plusMillis(7_400), back.slot());
        assertEquals(1, back.attempt(), "the same attempt, not a new one");
        assertEquals(delivery().dueAt(), back.dueAt(), "the same dispatch id when it comes back");
        assertEquals(List.of(6), delays, "back 1-2 s before the slot");
    }

    @Test
    void aHeldDeliveryThatComesBackInTimeDoesNotReserveAgain() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertTrue(submit(gate(clock), webhook(20), delivery().withSlot(NOW.minusMillis(10))));
        assertEquals(1, sent.get());
        assertTrue(slotsHandedOut.isEmpty());
    }

    @Test
    void aHeldDeliveryThatComesBackLateReservesAgainInsteadOfCrowdingOthersSlots() {
        nextSlots.add(NOW.plusSeconds(30));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertTrue(submit(gate(clock), webhook(20), delivery().withSlot(NOW.minusSeconds(5))));
        assertEquals(0, sent.get());
        assertEquals(List.of(NOW.plusSeconds(30)), slotsHandedOut);
        assertEquals(NOW.plusSeconds(30), held.get(0).slot());
        assertFalse(delays.get(0) > 900, "SQS caps a delay at 15 minutes");
    }

    @Test
    void aWaitBeyondFifteenMinutesHops() {
        assertEquals(900, RateLimitGate.queueDelaySeconds(Duration.ofHours(2)));
        assertEquals(1, RateLimitGate.queueDelaySeconds(Duration.ofMillis(2_100)));
    }

    @Test
    void aHeldTaskSurvivesTheQueueWithItsSlotAndWithoutAPreviousAttempt() throws Exception {
        RetryTask task = delivery().withSlot(NOW.plusMillis(1234));
        assertEquals(task, JobMessages.roundTrip(task));
        RetryTask retry = new RetryTask("t", "evt_1", "agent_completed", "wh_1", 2, NOW, "dispatch_1");
        assertEquals(retry, JobMessages.roundTrip(retry));
    }
}
