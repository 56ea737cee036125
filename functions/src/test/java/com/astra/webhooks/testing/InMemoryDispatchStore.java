package com.astra.webhooks.testing;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.store.DispatchStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one in-memory {@link DispatchStore}: it passes {@code DispatchStoreContract} like the
 * DynamoDB store. Records are kept as DynamoDB keeps them (times to the millisecond, no payload,
 * an absent response body read back as empty); {@link InMemoryDispatchHistory} reads the same
 * records. It also logs the retries it was asked to drop, for unit tests of the dispatcher.
 */
public final class InMemoryDispatchStore implements DispatchStore {

    /** Every {@code dropRetry} call, as "dispatchId: error". */
    public final List<String> droppedRetries = new CopyOnWriteArrayList<>();

    /** Records by tenant/webhook/id, and who holds their recover marks, by the same key. */
    private final Map<String, Dispatch> records = new HashMap<>();
    private final Map<String, String> recoveredBy = new HashMap<>();

    @Override
    public synchronized boolean record(Dispatch d) {
        Dispatch stored = asStored(d);
        Dispatch found = records.putIfAbsent(key(d.tenant(), d.webhookId(), d.id()), stored);
        return found == null || found.equals(stored);
    }

    @Override
    public synchronized void put(Dispatch d) {
        records.put(key(d.tenant(), d.webhookId(), d.id()), asStored(d));
        recoveredBy.remove(key(d.tenant(), d.webhookId(), d.id()));
    }

    @Override
    public synchronized Map<String, Dispatch> find(String tenant, Map<String, String> dispatchIdByWebhook) {
        Map<String, Dispatch> found = new HashMap<>();
        dispatchIdByWebhook.forEach((webhookId, id) -> {
            Dispatch d = records.get(key(tenant, webhookId, id));
            if (d != null) {
                found.put(webhookId, d);
            }
        });
        return found;
    }

    @Override
    public synchronized void dropRetry(String tenant, String webhookId, String dispatchId, String error) {
        droppedRetries.add(dispatchId + ": " + error);
        records.computeIfPresent(key(tenant, webhookId, dispatchId), (k, d) -> new Dispatch(d.id(), d.tenant(),
                d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(), d.outcome(), d.statusCode(),
                d.responseBody(), d.latencyMs(), error, d.requestHeaders(), null, d.createdAt(), null, d.trigger()));
    }

    @Override
    public synchronized ClearPosition deleteIntercepted(String tenant, Instant clearedAt, ClearPosition from,
            int maxItems, int maxQueries) {
        String upTo = Ids.lastDispatchIdAt(clearedAt);
        int left = maxItems;
        int queries = 0;
        TreeSet<String> webhookIds = new TreeSet<>();
        records.values().stream().filter(d -> d.tenant().equals(tenant)).forEach(d -> webhookIds.add(d.webhookId()));
        for (String webhookId : webhookIds) {
            if (from.webhookId() != null && webhookId.compareTo(from.webhookId()) < 0) {
                continue;
            }
            String after = webhookId.equals(from.webhookId()) ? from.after() : null;
            while (true) {
                if (left <= 0 || queries == maxQueries) {
                    return new ClearPosition(webhookId, after);
                }
                String start = after;
                List<Dispatch> read = records.values().stream()
                        .filter(d -> d.tenant().equals(tenant) && d.webhookId().equals(webhookId)
                                && d.outcome() == Dispatch.Outcome.INTERCEPTED && d.id().compareTo(upTo) <= 0
                                && (start == null || d.id().compareTo(start) > 0))
                        .sorted(Comparator.comparing(Dispatch::id)).limit(left).toList();
                queries++;
                read.forEach(d -> records.remove(key(tenant, webhookId, d.id())));
                if (!read.isEmpty()) {
                    after = read.get(read.size() - 1).id();
                }
                boolean full = read.size() == left; // like a query's Limit: a full page may have more after it
                left -= read.size();
                if (!full) {
                    break;
                }
            }
        }
        return null;
    }

    @Override
    public synchronized Page<Dispatch> finalFailures(String tenant, String webhookId, Instant since, Instant until,
            String after, int maxRead) {
        String lo = Ids.firstDispatchIdAt(since);
        String hi = Ids.lastDispatchIdAt(until);
        List<Dispatch> read = records.values().stream()
                .filter(d -> d.tenant().equals(tenant) && d.webhookId().equals(webhookId)
                        && d.outcome() == Dispatch.Outcome.FAILED && d.id().compareTo(lo) >= 0 && d.id().compareTo(hi) <= 0
                        && (after == null || d.id().compareTo(after) < 0))
                .sorted(Comparator.comparing(Dispatch::id).reversed()).limit(maxRead).toList();
        List<Dispatch> items = read.stream().filter(d -> d.nextAttemptAt() == null
                && !recoveredBy.containsKey(key(tenant, webhookId, d.id()))).toList();
        String next = read.size() == maxRead ? read.get(read.size() - 1).id() : null;
        return new Page<>(items, next);
    }

    @Override
    public synchronized boolean claimRecovery(String tenant, String webhookId, String dispatchId, Instant at,
            String claim) {
        String key = key(tenant, webhookId, dispatchId);
        if (!records.containsKey(key)) {
            return false;
        }
        String holder = recoveredBy.putIfAbsent(key, claim);
        return holder == null || holder.equals(claim);
    }

    @Override
    public synchronized Optional<String> recoveryMark(String tenant, String webhookId, String dispatchId) {
        return Optional.ofNullable(recoveredBy.get(key(tenant, webhookId, dispatchId)));
    }

    /** Every record, in id order: what the dispatcher wrote. */
    public synchronized List<Dispatch> all() {
        List<Dispatch> all = new ArrayList<>(records.values());
        all.sort(Comparator.comparing(Dispatch::id));
        return all;
    }

    /** The tenant's records of these webhooks, newest first, for {@link InMemoryDispatchHistory}. */
    synchronized List<Dispatch> newestFirst(String tenant, java.util.Collection<String> webhookIds) {
        return records.values().stream().filter(d -> d.tenant().equals(tenant) && webhookIds.contains(d.webhookId()))
                .sorted(Comparator.comparing(Dispatch::id).reversed()).toList();
    }

    /** What DynamoDB gives back for what was written: no payload, times to the millisecond, "" for no body. */
    private static Dispatch asStored(Dispatch d) {
        return new Dispatch(d.id(), d.tenant(), d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(),
                d.outcome(), d.statusCode(), d.responseBody() == null ? "" : d.responseBody(), d.latencyMs(), d.error(),
                d.requestHeaders() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(new TreeMap<>(d.requestHeaders())),
                null, d.createdAt().truncatedTo(ChronoUnit.MILLIS),
                d.nextAttemptAt() == null ? null : d.nextAttemptAt().truncatedTo(ChronoUnit.MILLIS), d.trigger());
    }

    private static String key(String tenant, String webhookId, String id) {
        return tenant + "/" + webhookId + "/" + id;
    }
}
