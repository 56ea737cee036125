package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's two lanes (DESIGN.md "Isolation"), over in-memory stores and a loopback receiver. */
class SlowLaneDispatchTest {

    private final DispatcherFixture f;

    SlowLaneDispatchTest() throws Exception {
        f = new DispatcherFixture(Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aPostPastTheThresholdLeavesTheBatchForTheSlowLaneAsTheSameAttemptWithoutARecord() {
        Webhook hang = f.webhook("/hang");
        Webhook ok = f.webhook("/ok");
        f.delays.put("/hang", Duration.ofMillis(1900)); // under the 2 s timeout: only the threshold cuts it
        long started = System.nanoTime();
        Set<String> failed = f.process(DispatcherFixture.event("evt_1", 1));
        long ms = (System.nanoTime() - started) / 1_000_000;

        assertEquals(Set.of(), failed, "the message is handled");
        assertTrue(ms < 1800, "the batch did not wait for the slow POST: " + ms + " ms");
        assertEquals(1, f.slowLane.size(), f.slowLane.toString());
        RetryTask handed = f.slowLane.get(0);
        assertEquals(hang.id(), handed.webhookId());
        assertEquals(1, handed.attempt(), "the same attempt, made again whole on the slow lane");
        assertEquals(f.events.stored.get(DispatcherFixture.TENANT + "/evt_1").firstSeen(), handed.dueAt(),
                "the same dispatch id (it is computed from this time)");
        List<Dispatch> recorded = f.dispatches.all();
        assertEquals(1, recorded.size(), "only the healthy webhook's attempt is recorded: " + recorded);
        assertEquals(ok.id(), recorded.get(0).webhookId());
        assertTrue(f.webhooks.log.contains("mark slow " + hang.id()), f.webhooks.log.toString());
    }

    @Test
    void aWebhookMarkedSlowIsDivertedWithoutAPostAndItsSlowLaneAttemptInTimeClearsTheMark() {
        Webhook marked = slow(f.webhook("/recovered"));
        f.process(DispatcherFixture.event("evt_2", 1));
        assertEquals(List.of(), f.posts, "nothing sent from the fast lane");
        assertEquals(1, f.slowLane.size());

        Set<String> failed = f.process(DispatcherFixture.onSlowLane(f.slowLane.get(0)));
        assertEquals(Set.of(), failed);
        assertEquals(1, f.posts.size(), "made on the slow lane");
        Dispatch d = f.dispatches.all().get(0);
        assertEquals(Dispatch.Outcome.DELIVERED, d.outcome());
        assertEquals(1, d.attempt());
        assertTrue(f.webhooks.log.contains("clear slow " + marked.id()), f.webhooks.log.toString());
    }

    @Test
    void onTheSlowLaneAnAttemptWaitsTheFullTimeoutAndItsRetryStaysThere() {
        Webhook marked = slow(f.webhook("/hanging"));
        f.delays.put("/hanging", Duration.ofMillis(2500)); // past the 2 s timeout
        f.process(DispatcherFixture.event("evt_3", 1));
        f.process(DispatcherFixture.onSlowLane(f.slowLane.get(0)));

        Dispatch d = f.dispatches.all().get(0);
        assertEquals("timeout after 2000 ms", d.error(), "the full timeout, not the threshold");
        assertEquals(2, f.slowLane.size(), "the retry is queued on the slow lane: " + f.slowLane);
        assertEquals(2, f.slowLane.get(1).attempt());
        assertEquals(List.of(), f.retries, "nothing back on the events queue");
        assertTrue(f.webhooks.log.stream().noneMatch(l -> l.startsWith("clear slow")), f.webhooks.log.toString());
    }

    /** {@code w} as stored with a slow mark. */
    private Webhook slow(Webhook w) {
        Webhook marked = new Webhook(w.id(), w.tenant(), w.url(), w.events(), w.description(), w.enabled(), w.createdAt(),
                w.updatedAt(), w.secret(), w.disabledReason(), w.headers(), w.rateLimit(), w.previousSecret(),
                w.previousSecretExpiresAt(), w.failingSince(), w.signing(), w.filter(), w.retrySchedule(), w.createdAt());
        f.webhooks.replace(marked);
        return marked;
    }
}
