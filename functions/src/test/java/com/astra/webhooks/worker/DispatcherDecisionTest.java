package com.astra.webhooks.worker;

import static com.astra.webhooks.worker.DispatcherFixture.TENANT;
import static com.astra.webhooks.worker.DispatcherFixture.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.jobs.Job;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.SecretExpiry;
import com.astra.webhooks.jobs.TestLogClearChunk;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Dispatch.Outcome;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore.Stored;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Dispatcher's decisions, one row each, over in-memory stores and a loopback receiver: what
 * is sent, recorded, retried, disabled, dead-lettered or handed back.
 */
class DispatcherDecisionTest {

    private final DispatcherFixture f = new DispatcherFixture();

    DispatcherDecisionTest() throws Exception {}

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aNewEventIsSentOnceAndRecordedAsItsClaim() {
        f.webhook("/ok");
        assertEquals(Set.of(), f.process(event("evt_1", 1)));
        assertEquals(List.of("/ok evt_1"), f.posts);
        Dispatch d = single();
        assertEquals(Outcome.DELIVERED, d.outcome());
        assertEquals(1, d.attempt());
        assertNull(d.nextAttemptAt());
        assertTrue(f.logLines.stream().anyMatch(l -> l.contains("\"batch done\"") && l.contains("\"delivered\":1")));
    }

    @Test
    void aCopyOfAnEventAlreadyRecordedIsNotSentAgain() {
        f.webhook("/ok");
        f.process(event("evt_2", 1));
        assertEquals(Set.of(), f.process(event("evt_2", 2)), "done: the copy succeeds");
        assertEquals(1, f.posts.size(), "claimed and done: no second POST");
    }

    @Test
    void aCopyWhileTheFirstWorkersLeaseRunsWaitsWithoutSending() {
        f.webhook("/ok");
        Instant now = f.clock.instant();
        f.events.stored.put(TENANT + "/evt_3", new Stored("{}", now, true)); // seen, no record yet: busy
        QueueMessage copy = event("evt_3", 2);
        assertEquals(Set.of(copy.messageId()), f.process(copy), "comes back later");
        assertEquals(List.of(), f.posts);
    }

    @Test
    void afterTheLeaseAnEventSeenButNeverRecordedIsSent() {
        f.webhook("/ok");
        f.events.stored.put(TENANT + "/evt_4", new Stored("{}", f.clock.instant().minus(f.lease).minusSeconds(1), true));
        assertEquals(Set.of(), f.process(event("evt_4", 2)));
        assertEquals(List.of("/ok evt_4"), f.posts);
    }

    @Test
    void a410IsRecordedNotRetriedAndDisablesTheWebhook() {
        Webhook w = f.webhook("/gone");
        f.answers.put("/gone", 410);
        assertEquals(Set.of(), f.process(event("evt_5", 1)));
        Dispatch d = single();
        assertEquals(Outcome.FAILED, d.outcome());
        assertEquals(410, d.statusCode());
        assertNull(d.nextAttemptAt());
        assertEquals(List.of(), f.retries);
        assertTrue(f.webhooks.log.stream().anyMatch(l -> l.startsWith("disable " + w.id())), f.webhooks.log.toString());
    }

    @Test
    void aFailedAttemptSchedulesTheNextAndTheLastSchedulesNone() {
        f.webhook("/fail");
        f.answers.put("/fail", 500);
        f.process(event("evt_6", 1));
        assertEquals(1, f.retries.size());
        RetryTask second = f.retries.get(0);
        assertEquals(2, second.attempt());
        assertNotNull(single().nextAttemptAt());
        assertTrue(f.logLines.stream().anyMatch(l -> l.contains("\"attempt failed\"") && l.contains("\"statusCode\":500")));

        // the schedule "1s,1s" allows three attempts: the third is the last
        f.process(DispatcherFixture.retry(new RetryTask(TENANT, "evt_6", "agent_completed", second.webhookId(), 3,
                f.clock.instant(), second.previousId())));
        Dispatch last = f.dispatches.all().stream().filter(d -> d.attempt() == 3).findFirst().orElseThrow();
        assertEquals(Outcome.FAILED, last.outcome());
        assertNull(last.nextAttemptAt(), "no attempt after the last");
        assertEquals(1, f.retries.size());
    }

    @Test
    void testModeInterceptsPerTenantWithoutSending() {
        f.webhook("/ok");
        f.testModes.set(TENANT, true, f.clock.instant());
        assertEquals(Set.of(), f.process(event("evt_7", 1)));
        assertEquals(List.of(), f.posts);
        assertEquals(Outcome.INTERCEPTED, single().outcome());
    }

    @Test
    void aPoisonMessageIsDeadLetteredAndNotRetried() {
        QueueMessage poison = new QueueMessage("m-poison", "not json", java.util.Map.of(), 1);
        assertEquals(Set.of(), f.process(poison));
        assertEquals(1, f.deadLetters.size());
        assertTrue(f.logLines.stream().anyMatch(l -> l.contains("\"message dead-lettered\"") && l.contains("m-poison")));
        assertTrue(f.logLines.stream().noneMatch(l -> l.contains("not json")), "the body is never logged");
    }

    @Test
    void malformedJobsOfEveryKindAreDeadLetteredWithTheirReasonAndNotRetried() {
        Instant at = f.clock.instant();
        List<Job> kinds = List.of(new RetryTask(TENANT, "evt_1", "agent_completed", "wh_1", 2, at, "dispatch_1"),
                new RecoveryPage(TENANT, "wh_1", at, at, null),
                new TestLogClearChunk(TENANT, at, DispatchStore.ClearPosition.START),
                new SecretExpiry(TENANT, "wh_1", at));
        List<QueueMessage> batch = new java.util.ArrayList<>();
        for (Job kind : kinds) {
            // the kind's own attributes over a body that is not that kind's JSON
            batch.add(new QueueMessage("m-bad-" + kind.kind(), "{\"tenant\":7}", JobCodec.encode(kind).attributes(), 1));
        }
        assertEquals(Set.of(), f.process(batch, () -> Long.MAX_VALUE));
        assertEquals(Set.of("retry message is malformed", "recover message is malformed",
                "test-mode log clear message is malformed", "secret expiry message is malformed"),
                Set.copyOf(f.deadLetters));
        assertEquals(4, f.logLines.stream().filter(l -> l.contains("\"message dead-lettered\"")).count());
        assertEquals(List.of(), f.posts);
    }

    @Test
    void aRetryDueLaterThanSqsCanDelayHopsThroughTheQueueAgain() {
        Webhook w = f.webhook("/ok");
        RetryTask far = new RetryTask(TENANT, "evt_8", "agent_completed", w.id(), 2,
                f.clock.instant().plusSeconds(3600), "dispatch_prev");
        assertEquals(Set.of(), f.process(DispatcherFixture.retry(far)));
        assertEquals(List.of(far), f.retries, "the same task, queued again");
        assertEquals(List.of(), f.posts);
    }

    @Test
    void aRetryForADeletedWebhookIsDroppedOnThePreviousRecord() {
        Webhook w = f.webhook("/fail");
        f.answers.put("/fail", 500);
        f.process(event("evt_9", 1));
        RetryTask next = f.retries.get(0);
        f.webhooks.delete(TENANT, w.id());
        assertEquals(Set.of(), f.process(DispatcherFixture.retry(new RetryTask(next.tenant(), next.eventId(),
                next.eventType(), next.webhookId(), next.attempt(), f.clock.instant(), next.previousId()))));
        assertEquals(1, f.posts.size(), "nothing sent for the deleted webhook");
        assertEquals(1, f.dispatches.droppedRetries.size());
        assertTrue(f.dispatches.droppedRetries.get(0).contains("webhook deleted"), f.dispatches.droppedRetries.toString());
    }

    @Test
    void withTooLittleOfTheInvocationLeftNoAttemptStartsAndTheMessageComesBack() {
        f.webhook("/ok");
        QueueMessage m = event("evt_10", 1);
        assertEquals(Set.of(m.messageId()), f.process(List.of(m), () -> 4_999));
        assertEquals(List.of(), f.posts);
        assertEquals(List.of(), f.dispatches.all(), "nothing recorded: the message comes back whole");
        assertTrue(f.logLines.stream().anyMatch(l -> l.contains("\"attemptsDeferred\":1") && l.contains("\"messagesHandedBack\":1")));
        // the copy, after the lease, is sent
        f.events.stored.computeIfPresent(TENANT + "/evt_10",
                (k, s) -> new Stored(s.payload(), s.firstSeen().minus(f.lease).minusSeconds(1), s.first()));
        assertEquals(Set.of(), f.process(List.of(event("evt_10", 2)), () -> 5_000));
        assertEquals(List.of("/ok evt_10"), f.posts);
    }

    @Test
    void anEventForADisabledWebhookIsNotSentButRecordedAsAFinalFailureToRecoverLater() {
        Webhook w = disabled("/off");
        assertEquals(Set.of(), f.process(event("evt_11", 1)));
        assertEquals(Set.of(), f.process(event("evt_11", 2)), "a copy changes nothing");
        assertEquals(List.of(), f.posts);
        Dispatch d = single();
        assertEquals(Outcome.FAILED, d.outcome());
        assertEquals(Dispatcher.NOT_SENT_DISABLED, d.error());
        assertNull(d.statusCode());
        assertNull(d.nextAttemptAt(), "final: recover finds it");
        assertEquals(List.of(), f.retries);
        assertTrue(f.webhooks.log.stream().noneMatch(l -> l.startsWith("mark failing")), "not an attempt: health ignores it");
        assertEquals(w.id(), d.webhookId());
    }

    @Test
    void theAnnouncementOfAWebhooksOwnDisablingLeavesNoRecordOnIt() {
        Webhook w = disabled("/off");
        QueueMessage announcement = new QueueMessage("m-dis", "{\"event\":\"webhook.disabled\",\"tenant\":\"" + TENANT
                + "\",\"id\":\"evt_dis\",\"data\":{\"webhookId\":\"" + w.id() + "\",\"url\":\"u\",\"reason\":\"r\"}}",
                java.util.Map.of(), 1);
        assertEquals(Set.of(), f.process(announcement));
        assertEquals(List.of(), f.dispatches.all());
    }

    @Test
    void aRecoverTaskIsSentOnlyByTheClaimThatHoldsTheFailure() {
        Webhook w = f.webhook("/ok");
        Dispatch failed = failedFinal(w, "evt_12");
        RetryTask lost = recoverTask(w, failed, "rcv_other");
        assertTrue(f.dispatches.claimRecovery(TENANT, w.id(), failed.id(), f.clock.instant(), "rcv_winner"));
        assertEquals(Set.of(), f.process(DispatcherFixture.retry(lost)));
        assertEquals(List.of(), f.posts, "another recover holds it: dropped");

        assertEquals(Set.of(), f.process(DispatcherFixture.retry(recoverTask(w, failed, "rcv_winner"))));
        assertEquals(List.of("/ok evt_12"), f.posts, "the holder sends");
    }

    @Test
    void aRecoverTaskWhoseCallCrashedBeforeClaimingClaimsItselfAndSends() {
        Webhook w = f.webhook("/ok");
        Dispatch failed = failedFinal(w, "evt_13");
        assertEquals(Set.of(), f.process(DispatcherFixture.retry(recoverTask(w, failed, "rcv_crashed"))));
        assertEquals(List.of("/ok evt_13"), f.posts);
        assertEquals("rcv_crashed", f.dispatches.recoveryMark(TENANT, w.id(), failed.id()).orElseThrow());
        assertEquals(Dispatch.Trigger.RECOVER, f.dispatches.all().stream().filter(d -> d.attempt() == 1
                && !d.id().equals(failed.id())).findFirst().orElseThrow().trigger());
    }

    private Webhook disabled(String path) {
        Webhook on = f.webhook(path);
        Webhook off = new Webhook(on.id(), on.tenant(), on.url(), on.events(), on.description(), false, on.createdAt(),
                on.updatedAt(), on.secret(), "by hand", on.headers(), on.rateLimit(), null, null);
        f.webhooks.replace(off);
        return off;
    }

    private Dispatch failedFinal(Webhook w, String eventId) {
        f.events.stored.put(TENANT + "/" + eventId, new Stored("{}", f.clock.instant(), true));
        Dispatch failed = new Dispatch("dispatch_failed_" + eventId, TENANT, w.id(), eventId, "agent_completed", w.url(), 3,
                Outcome.FAILED, 500, "", 1, "HTTP 500", java.util.Map.of(), null, f.clock.instant(), null,
                Dispatch.Trigger.EVENT);
        f.dispatches.record(failed);
        return failed;
    }

    private RetryTask recoverTask(Webhook w, Dispatch failed, String claim) {
        return new RetryTask(TENANT, failed.eventId(), "agent_completed", w.id(), 1, f.clock.instant(), failed.id(),
                Dispatch.Trigger.RECOVER, null, claim);
    }

    private Dispatch single() {
        List<Dispatch> all = f.dispatches.all();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }
}
