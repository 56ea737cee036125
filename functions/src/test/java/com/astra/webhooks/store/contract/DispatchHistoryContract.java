package com.astra.webhooks.store.contract;

import static com.astra.webhooks.model.Dispatch.Outcome.DELIVERED;
import static com.astra.webhooks.model.Dispatch.Outcome.FAILED;
import static com.astra.webhooks.model.Dispatch.Outcome.INTERCEPTED;
import static com.astra.webhooks.store.contract.Samples.attempt;
import static com.astra.webhooks.store.contract.Samples.minute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.dispatch.OrderingHeaders;
import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.DispatchHistory.Filter;
import com.astra.webhooks.store.DispatchHistory.SizeLimit;
import com.astra.webhooks.store.InvalidCursorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DispatchHistory} does, run against the in-memory fake and against DynamoDB. */
public abstract class DispatchHistoryContract extends OverOneStorage {

    private static final SizeLimit UNBOUNDED = new SizeLimit(Long.MAX_VALUE, d -> 1);

    private DispatchHistory history;

    @BeforeEach
    void open() {
        history = stores.history();
    }

    /** Records {@code d} with its event's payload, as the dispatcher leaves them. */
    private Dispatch recorded(Dispatch d) {
        String payload = "{\"id\":\"" + d.eventId() + "\"}";
        stores.events().putIfAbsent(tenant, d.eventId(), d.eventType(), payload, d.createdAt(), d.createdAt().plus(Duration.ofDays(30)));
        stores.dispatches().put(d);
        return d.withPayload(payload);
    }

    private List<Dispatch> all(Filter filter) {
        List<Dispatch> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Dispatch> page = history.list(tenant, filter, 2, cursor, UNBOUNDED);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null && ++pages < 50);
        return all;
    }

    private static List<Dispatch> newestFirst(Dispatch... ds) {
        return java.util.Arrays.stream(ds).sorted(Comparator.comparing(Dispatch::id).reversed()).toList();
    }

    @Test
    void aDispatchIsReadByIdWithItsPayloadByItsTenantAlone() {
        Dispatch d = recorded(attempt(webhook(), 1, FAILED));

        assertEquals(Optional.of(d), history.get(tenant, d.id()));
        assertEquals(Optional.empty(), history.get(tenant + "-other", d.id()));
        assertEquals(Optional.empty(), history.get(tenant, attempt(webhook(), 2, FAILED).id()));
    }

    @Test
    void aListPagesThroughEveryWebhooksDispatchesNewestFirstOnce() {
        Webhook a = webhook();
        Webhook b = webhook();
        List<Dispatch> expected = newestFirst(recorded(attempt(a, 1, DELIVERED)), recorded(attempt(b, 2, FAILED)),
                recorded(attempt(a, 3, INTERCEPTED)), recorded(attempt(b, 4, DELIVERED)), recorded(attempt(a, 5, DELIVERED)));

        assertEquals(expected, all(Filter.NONE));
        Page<Dispatch> first = history.list(tenant, Filter.NONE, 5, null, UNBOUNDED);
        assertEquals(expected, first.items());
        assertNull(first.nextCursor(), "nothing follows");
    }

    @Test
    void filtersNarrowTheListAndACallerLimitedToSomeWebhooksSeesOnlyThose() {
        Webhook a = webhook();
        Webhook b = webhook();
        Dispatch a1 = recorded(attempt(a, 1, DELIVERED, "agent_completed", null));
        Dispatch a2 = recorded(attempt(a, 2, FAILED, "agent.failed", null));
        Dispatch b3 = recorded(attempt(b, 3, FAILED, "agent_completed", null));
        Dispatch b4 = recorded(attempt(b, 4, INTERCEPTED, "agent.failed", null));

        assertEquals(newestFirst(a1, a2), all(new Filter(a.id(), null, null)));
        assertEquals(newestFirst(a1, b3), all(new Filter(null, "agent_completed", null)));
        assertEquals(newestFirst(a2, b3), all(new Filter(null, null, "failed")));
        assertEquals(List.of(a1), all(new Filter(null, null, "delivered")));
        assertEquals(List.of(b3), all(new Filter(null, "agent_completed", "failed")));
        assertEquals(newestFirst(b3, b4), all(Filter.NONE.within(Set.of(b.id()))));
        assertEquals(List.of(), all(new Filter(a.id(), null, null).within(Set.of(b.id()))), "not one of the caller's");
    }

    @Test
    void theOrderingKeyFilterListsThatKeysDispatchesAloneAndCombinesWithTheOthers() {
        Webhook a = webhook();
        Webhook b = webhook();
        Dispatch a1 = recorded(OrderingHeaders.onRecord(attempt(a, 1, DELIVERED, "agent_completed", null), "run_42", 1));
        Dispatch a2 = recorded(OrderingHeaders.onRecord(attempt(a, 2, DELIVERED, "agent_completed", null), "run_43", 1));
        Dispatch a3 = recorded(OrderingHeaders.onRecord(attempt(a, 3, FAILED, "agent.failed", null), "run_42", 2));
        Dispatch b4 = recorded(OrderingHeaders.onRecord(attempt(b, 4, DELIVERED, "agent_completed", null), "run_42", 1));
        recorded(attempt(b, 5, DELIVERED, "agent_completed", null)); // unordered

        Filter key = Filter.NONE.withOrderingKey("run_42");
        assertEquals(newestFirst(a1, a3, b4), all(key));
        assertEquals(List.of(a2), all(Filter.NONE.withOrderingKey("run_43")));
        assertEquals(List.of(), all(Filter.NONE.withOrderingKey("run_4")), "a key matches whole, not as a prefix");
        assertEquals(newestFirst(a1, a3), all(new Filter(a.id(), null, null).withOrderingKey("run_42")));
        assertEquals(List.of(a3), all(new Filter(null, null, "failed").withOrderingKey("run_42")));
        assertEquals(newestFirst(a1, b4), all(new Filter(null, "agent_completed", null).withOrderingKey("run_42")));
        assertEquals(List.of(b4), all(key.within(Set.of(b.id()))));

        String cursor = history.list(tenant, key, 1, null, UNBOUNDED).nextCursor();
        assertNotNull(cursor);
        assertEquals(List.of(a3), history.list(tenant, key, 1, cursor, UNBOUNDED).items());
        assertThrows(InvalidCursorException.class,
                () -> history.list(tenant, Filter.NONE.withOrderingKey("run_43"), 1, cursor, UNBOUNDED));
        assertThrows(InvalidCursorException.class, () -> history.list(tenant, Filter.NONE, 1, cursor, UNBOUNDED));
    }

    @Test
    void aCursorBelongsToItsTenantAndItsList() {
        Webhook a = webhook();
        for (int i = 1; i <= 3; i++) {
            recorded(attempt(a, i, DELIVERED));
        }
        String cursor = history.list(tenant, Filter.NONE, 1, null, UNBOUNDED).nextCursor();
        assertNotNull(cursor);

        assertThrows(InvalidCursorException.class, () -> history.list(tenant, Filter.NONE, 1, "forged", UNBOUNDED));
        assertThrows(InvalidCursorException.class, () -> history.list(tenant + "-other", Filter.NONE, 1, cursor, UNBOUNDED));
        assertThrows(InvalidCursorException.class,
                () -> history.list(tenant, new Filter(null, null, "failed"), 1, cursor, UNBOUNDED));
    }

    @Test
    void aPageStopsAtItsSizeWithACursorButAlwaysHoldsOneDispatch() {
        Webhook a = webhook();
        List<Dispatch> made = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            made.add(recorded(attempt(a, i, DELIVERED)));
        }
        List<Dispatch> expected = newestFirst(made.toArray(Dispatch[]::new));

        Page<Dispatch> two = history.list(tenant, Filter.NONE, 10, null, new SizeLimit(250, d -> 100));
        assertEquals(expected.subList(0, 2), two.items());
        assertEquals(expected.subList(2, 4),
                history.list(tenant, Filter.NONE, 10, two.nextCursor(), new SizeLimit(250, d -> 100)).items());
        Page<Dispatch> one = history.list(tenant, Filter.NONE, 10, null, new SizeLimit(1, d -> 100));
        assertEquals(expected.subList(0, 1), one.items());
        assertNotNull(one.nextCursor());
    }

    @Test
    void aClearedTestModeLogIsGoneFromEveryReadAtOnce() {
        Webhook a = webhook();
        Dispatch hidden = recorded(attempt(a, 1, INTERCEPTED));
        Dispatch delivered = recorded(attempt(a, 2, DELIVERED));
        Dispatch later = recorded(attempt(a, 10, INTERCEPTED));

        stores.testModes().clearLog(tenant, minute(5));

        assertEquals(Optional.empty(), history.get(tenant, hidden.id()));
        assertEquals(Optional.of(later), history.get(tenant, later.id()));
        assertEquals(List.of(later, delivered), all(Filter.NONE));
        assertEquals(List.of(later), all(new Filter(null, null, "intercepted")));
        assertEquals(List.of(later.eventId(), delivered.eventId()),
                history.window(tenant, a.id(), minute(0), minute(20), 10).attempts().stream()
                        .map(DeliveryStats.Attempt::eventId).toList());
    }

    @Test
    void aStatsWindowHoldsTheNewestAttemptsInItsRangeAndSaysWhenItHeldMore() {
        Webhook a = webhook();
        recorded(attempt(a, 1, DELIVERED));
        Dispatch d2 = recorded(attempt(a, 2, FAILED, "agent_completed", minute(7)));
        Dispatch d3 = recorded(attempt(a, 3, DELIVERED));
        Dispatch d4 = recorded(attempt(a, 4, FAILED));
        recorded(attempt(webhook(), 3, DELIVERED)); // another webhook's

        DispatchHistory.Window all = history.window(tenant, a.id(), minute(2), minute(4), 10);
        assertEquals(List.of(
                new DeliveryStats.Attempt(d4.eventId(), "failed", d4.latencyMs(), d4.createdAt(), false),
                new DeliveryStats.Attempt(d3.eventId(), "delivered", d3.latencyMs(), d3.createdAt(), false),
                new DeliveryStats.Attempt(d2.eventId(), "failed", d2.latencyMs(), d2.createdAt(), true)), all.attempts());
        assertFalse(all.sampled());

        DispatchHistory.Window two = history.window(tenant, a.id(), minute(2), minute(4), 2);
        assertEquals(List.of(d4.eventId(), d3.eventId()), two.attempts().stream().map(DeliveryStats.Attempt::eventId).toList());
        assertTrue(two.sampled());
    }
}
