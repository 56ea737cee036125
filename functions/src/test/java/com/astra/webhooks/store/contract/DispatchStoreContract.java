package com.astra.webhooks.store.contract;

import static com.astra.webhooks.model.Dispatch.Outcome.DELIVERED;
import static com.astra.webhooks.model.Dispatch.Outcome.FAILED;
import static com.astra.webhooks.model.Dispatch.Outcome.INTERCEPTED;
import static com.astra.webhooks.store.contract.Samples.attempt;
import static com.astra.webhooks.store.contract.Samples.minute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.DispatchStore.ClearPosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DispatchStore} does, run against the in-memory fake and against DynamoDB. */
public abstract class DispatchStoreContract extends OverOneStorage {

    private DispatchStore store;

    @BeforeEach
    void open() {
        store = stores.dispatches();
    }

    private Optional<Dispatch> find(Dispatch d) {
        return Optional.ofNullable(store.find(tenant, Map.of(d.webhookId(), d.id())).get(d.webhookId()));
    }

    @Test
    void aRecordIsWrittenOnceAndTheSameRecordAgainCountsAsWritten() {
        Webhook w = webhook();
        Dispatch d = attempt(w, 1, FAILED, "agent_completed", minute(2));

        assertTrue(store.record(d));
        assertEquals(Optional.of(d), find(d));
        assertTrue(store.record(d), "this caller's own record, its first answer lost");
        Dispatch anotherWorkers = new Dispatch(d.id(), tenant, w.id(), d.eventId(), d.eventType(), d.url(), 1, DELIVERED,
                200, "ok", 99, null, Map.of(), null, d.createdAt(), null, Dispatch.Trigger.EVENT);
        assertFalse(store.record(anotherWorkers));
        assertEquals(Optional.of(d), find(d), "the first record stays");
    }

    @Test
    void aPutWritesAFreshRecordAndFindReadsThemByWebhook() {
        Webhook a = webhook();
        Webhook b = webhook();
        Dispatch onA = attempt(a, 1, DELIVERED);
        Dispatch onB = attempt(b, 1, INTERCEPTED);
        store.put(onA);
        store.put(onB);

        Map<String, String> asked = new HashMap<>(Map.of(a.id(), onA.id(), b.id(), onB.id()));
        assertEquals(Map.of(a.id(), onA, b.id(), onB), store.find(tenant, asked));
        assertEquals(Map.of(a.id(), onA), store.find(tenant, Map.of(a.id(), onA.id(), b.id(), Ids.newId(Ids.DISPATCH))),
                "a missing record is absent");
        assertEquals(Map.of(), store.find(tenant + "-other", Map.of(a.id(), onA.id())));
    }

    @Test
    void aDroppedRetryLosesItsNextAttemptAndSaysWhy() {
        Webhook w = webhook();
        Dispatch d = attempt(w, 1, FAILED, "agent_completed", minute(3));
        store.record(d);

        store.dropRetry(tenant, w.id(), d.id(), "webhook deleted");

        Dispatch dropped = find(d).orElseThrow();
        assertNull(dropped.nextAttemptAt());
        assertEquals("webhook deleted", dropped.error());
        assertEquals(d.outcome(), dropped.outcome());
        Dispatch gone = attempt(w, 2, FAILED);
        store.dropRetry(tenant, w.id(), gone.id(), "webhook deleted");
        assertEquals(Optional.empty(), find(gone), "nothing written for a record that is gone");
    }

    @Test
    void aRecoverMarkIsHeldByOneClaimWhichMayRepeatIt() {
        Webhook w = webhook();
        Dispatch d = attempt(w, 1, FAILED);
        store.record(d);

        assertEquals(Optional.empty(), store.recoveryMark(tenant, w.id(), d.id()));
        assertTrue(store.claimRecovery(tenant, w.id(), d.id(), minute(5), "rec_a"));
        assertTrue(store.claimRecovery(tenant, w.id(), d.id(), minute(6), "rec_a"), "the same claim again, after a crash");
        assertFalse(store.claimRecovery(tenant, w.id(), d.id(), minute(6), "rec_b"));
        assertEquals(Optional.of("rec_a"), store.recoveryMark(tenant, w.id(), d.id()));
        Dispatch gone = attempt(w, 2, FAILED);
        assertFalse(store.claimRecovery(tenant, w.id(), gone.id(), minute(6), "rec_a"), "no record: nothing to claim");
        assertEquals(Optional.empty(), store.recoveryMark(tenant, w.id(), gone.id()));
    }

    @Test
    void finalFailuresAreTheUnclaimedFailuresWithoutARetryInTheRangeNewestFirst() {
        Webhook w = webhook();
        Dispatch early = attempt(w, 1, FAILED);
        Dispatch retrying = attempt(w, 2, FAILED, "agent_completed", minute(9));
        Dispatch delivered = attempt(w, 3, DELIVERED);
        Dispatch claimed = attempt(w, 4, FAILED);
        Dispatch final5 = attempt(w, 5, FAILED);
        Dispatch final6 = attempt(w, 6, FAILED);
        Dispatch late = attempt(w, 20, FAILED);
        for (Dispatch d : List.of(early, retrying, delivered, claimed, final5, final6, late)) {
            store.record(d);
        }
        store.claimRecovery(tenant, w.id(), claimed.id(), minute(7), "rec_x");

        List<String> found = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Page<Dispatch> page = store.finalFailures(tenant, w.id(), minute(2), minute(10), after, 2);
            page.items().forEach(d -> found.add(d.id()));
            after = page.nextCursor();
        } while (after != null && ++pages < 20);

        assertEquals(List.of(final6.id(), final5.id()), found);
        assertEquals(List.of(final6.id(), final5.id()),
                store.finalFailures(tenant, w.id(), minute(2), minute(10), null, 100).items().stream().map(Dispatch::id).toList());
    }

    @Test
    void deletingInterceptedEntriesTakesThoseUpToTheClearAndResumesWhereItStopped() {
        Webhook a = webhook();
        Webhook b = webhook();
        List<Dispatch> cleared = List.of(attempt(a, 1, INTERCEPTED), attempt(a, 2, INTERCEPTED), attempt(a, 3, INTERCEPTED),
                attempt(b, 1, INTERCEPTED), attempt(b, 2, INTERCEPTED));
        List<Dispatch> kept = List.of(attempt(a, 10, INTERCEPTED), attempt(a, 4, FAILED, "agent.failed", null),
                attempt(b, 4, DELIVERED, "agent.failed", null));
        cleared.forEach(store::put);
        kept.forEach(store::put);

        ClearPosition position = ClearPosition.START;
        int calls = 0;
        do {
            position = store.deleteIntercepted(tenant, minute(5), position, 2, 10);
            calls++;
        } while (position != null && calls < 20);

        assertTrue(calls >= 3, "two at a time: " + calls + " calls");
        cleared.forEach(d -> assertEquals(Optional.empty(), find(d), d.toString()));
        kept.forEach(d -> assertEquals(Optional.of(d), find(d)));
        assertNull(store.deleteIntercepted(tenant, minute(5), ClearPosition.START, 100, 10), "none left");
    }

    @Test
    void aCallWithNoQueriesLeftDeletesNothingAndResumesWhereItWas() {
        Webhook w = webhook();
        Dispatch d = attempt(w, 1, INTERCEPTED);
        store.put(d);
        ClearPosition from = new ClearPosition(w.id(), null);

        assertEquals(from, store.deleteIntercepted(tenant, minute(5), from, 10, 0));
        assertEquals(Optional.of(d), find(d));
    }
}
