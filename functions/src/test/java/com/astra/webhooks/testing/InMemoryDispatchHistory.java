package com.astra.webhooks.testing;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.dispatch.OrderingHeaders;
import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one in-memory {@link DispatchHistory}: it passes {@code DispatchHistoryContract} like the
 * DynamoDB store, over the records of an {@link InMemoryDispatchStore}. As there, the history is
 * that of the tenant's webhooks (a deleted webhook's records are not listed) and a cleared
 * test-mode log's entries are gone at once.
 */
public final class InMemoryDispatchHistory implements DispatchHistory {

    private final InMemoryDispatchStore records;
    private final WebhookStore webhooks;
    private final EventStore events;
    private final TestModeStore testModes;

    public InMemoryDispatchHistory(InMemoryDispatchStore records, WebhookStore webhooks, EventStore events,
            TestModeStore testModes) {
        this.records = records;
        this.webhooks = webhooks;
        this.events = events;
        this.testModes = testModes;
    }

    @Override
    public Optional<Dispatch> get(String tenant, String id) {
        String cleared = clearedUpTo(tenant);
        return records.newestFirst(tenant, webhookIds(tenant)).stream()
                .filter(d -> d.id().equals(id) && !clearedFromLog(d, cleared)).findFirst()
                .map(d -> d.withPayload(events.payload(tenant, d.eventId()).orElse(null)));
    }

    @Override
    public Page<Dispatch> list(String tenant, Filter filter, int limit, String cursor, SizeLimit size) {
        String list = filter.webhookId() + ":" + filter.eventType() + ":" + filter.outcome() + ":" + filter.orderingKey() + ":"
                + (filter.webhookIds() == null ? "" : String.join(",", new java.util.TreeSet<>(filter.webhookIds())));
        String before = cursor == null ? null : decode(cursor, tenant, list);
        if (filter.webhookIds() != null && filter.webhookId() != null && !filter.webhookIds().contains(filter.webhookId())) {
            return new Page<>(List.of(), null);
        }
        Collection<String> partitions = filter.webhookId() != null ? List.of(filter.webhookId())
                : filter.webhookIds() != null ? filter.webhookIds() : webhookIds(tenant);
        String cleared = clearedUpTo(tenant);
        List<Dispatch> matches = records.newestFirst(tenant, partitions).stream()
                .filter(d -> (before == null || d.id().compareTo(before) < 0) && !clearedFromLog(d, cleared)
                        && (filter.eventType() == null || filter.eventType().equals(d.eventType()))
                        && (filter.outcome() == null || filter.outcome().equals(d.outcome().wire()))
                        && (filter.orderingKey() == null
                                || filter.orderingKey().equals(OrderingHeaders.orderingKey(d.requestHeaders()))))
                .limit(limit + 1L).toList();
        List<Dispatch> page = new ArrayList<>();
        long bytes = 0;
        for (Dispatch match : matches.subList(0, Math.min(limit, matches.size()))) {
            Dispatch d = match.withPayload(events.payload(tenant, match.eventId()).orElse(null));
            long itsBytes = size.bytesOf().applyAsLong(d);
            if (!page.isEmpty() && bytes + itsBytes > size.maxBytes()) {
                break;
            }
            page.add(d);
            bytes += itsBytes;
        }
        String next = page.size() < matches.size() ? encode(tenant, list, page.get(page.size() - 1).id()) : null;
        return new Page<>(page, next);
    }

    @Override
    public Window window(String tenant, String webhookId, Instant since, Instant until, int max) {
        String from = Ids.firstDispatchIdAt(since);
        String to = Ids.lastDispatchIdAt(until);
        String cleared = clearedUpTo(tenant);
        List<Dispatch> read = records.newestFirst(tenant, List.of(webhookId)).stream()
                .filter(d -> d.id().compareTo(from) >= 0 && d.id().compareTo(to) <= 0).limit(max + 1L).toList();
        List<DeliveryStats.Attempt> attempts = read.stream().limit(max).filter(d -> !clearedFromLog(d, cleared))
                .map(d -> new DeliveryStats.Attempt(d.eventId(), d.outcome().wire(), d.latencyMs(), d.createdAt(),
                        d.nextAttemptAt() != null))
                .toList();
        return new Window(attempts, read.size() > max);
    }

    private List<String> webhookIds(String tenant) {
        return webhooks.listAll(tenant).stream().map(Webhook::id).toList();
    }

    private String clearedUpTo(String tenant) {
        Instant at = testModes.get(tenant).logClearedAt();
        return at == null ? null : Ids.lastDispatchIdAt(at);
    }

    private static boolean clearedFromLog(Dispatch d, String clearedUpTo) {
        return clearedUpTo != null && d.outcome() == Dispatch.Outcome.INTERCEPTED && d.id().compareTo(clearedUpTo) <= 0;
    }

    private static String encode(String tenant, String list, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((tenant + "\n" + list + "\n" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The id a cursor continues below; a cursor of another tenant or list, or none of ours, is refused. */
    private static String decode(String cursor, String tenant, String list) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 3 && parts[0].equals(tenant) && parts[1].equals(list)) {
                return parts[2];
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below like any other forged cursor
        }
        throw new InvalidCursorException("cursor does not belong to this list");
    }
}
