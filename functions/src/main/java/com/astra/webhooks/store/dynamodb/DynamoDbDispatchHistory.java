package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.DispatchItems.*;
import static com.astra.webhooks.store.dynamodb.TableLayout.*;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.OrderingKey;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The tenant's view of its dispatches (see {@link DispatchItems} for the layout): each webhook's
 * history is one partition, so a webhook's deliveries need no index. A tenant-wide list reads
 * each of the tenant's webhooks' partitions and merges them (see {@link TableLayout}); its cursor
 * is the id of the last dispatch returned, so every partition resumes below it and a page costs
 * the same whatever the table holds.
 *
 * <p>A clear of the test-mode log hides, at once, every intercepted dispatch up to its mark (the
 * tenant's {@code logClearedAt}, read from the {@link TestModeStore} this store is given), in
 * every list and by id, while the items are deleted a bounded chunk at a time
 * ({@code DispatchStore.deleteIntercepted}). The log's own query starts above the mark, so it
 * reads none of the hidden entries, however many are still to be deleted.
 */
public final class DynamoDbDispatchHistory implements DispatchHistory {

    /** Items read per call while a residual filter skips some: about 40 KB of small items. */
    private static final int RESIDUAL_FILTER_READ = 250;
    /**
     * Queries a tenant-wide page may make beyond one per webhook before it answers with what it
     * has and a cursor: a rare filter over a long history costs a bounded request, not a run
     * into the Lambda or API Gateway timeout. With at most {@code MAX_WEBHOOKS_PER_TENANT}
     * webhooks, a page makes at most 1,032 queries.
     */
    static final int MAX_EXTRA_QUERIES = 32;

    private final DynamoDbClient dynamo;
    private final String table;
    private final EventStore events;
    private final TestModeStore testModes;

    public DynamoDbDispatchHistory(DynamoDbClient dynamo, String table, EventStore events, TestModeStore testModes) {
        this.dynamo = dynamo;
        this.table = table;
        this.events = events;
        this.testModes = testModes;
    }

    @Override
    public Optional<Dispatch> get(String tenant, String id) {
        List<Map<String, AttributeValue>> keys = webhookIds(dynamo, table, tenant).stream().map(w -> key(tenant, w, id)).toList();
        List<Map<String, AttributeValue>> found = getAll(dynamo, table, keys, false);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Dispatch d = fromItem(tenant, found.get(0));
        if (d.outcome() == Dispatch.Outcome.INTERCEPTED && clearedFromLog(found.get(0), clearedUpTo(tenant))) {
            return Optional.empty();
        }
        return Optional.of(d.withPayload(events.payload(tenant, d.eventId()).orElse(null)));
    }

    @Override
    public Page<Dispatch> list(String tenant, Filter filter, int limit, String cursor, SizeLimit size) {
        String list = "dispatches:" + (filter.webhookId() == null ? "" : filter.webhookId()) + ":"
                + (filter.eventType() == null ? "" : filter.eventType()) + ":"
                + (filter.outcome() == null ? "" : filter.outcome())
                + (filter.orderingKey() == null ? "" : ":key=" + filter.orderingKey())
                + (filter.webhookIds() == null ? "" : ":" + String.join(",", new java.util.TreeSet<>(filter.webhookIds())));
        String before = CursorCodec.decodeBoundary(cursor, tenant, list);
        List<String> partitions = filter.webhookId() != null ? List.of(filter.webhookId())
                : filter.webhookIds() != null ? List.copyOf(new java.util.TreeSet<>(filter.webhookIds())) : webhookIds(dynamo, table, tenant);
        if (filter.webhookIds() != null && filter.webhookId() != null && !filter.webhookIds().contains(filter.webhookId())) {
            return new Page<>(List.of(), null);
        }
        String clearedUpTo = filter.outcome() == null || Dispatch.Outcome.INTERCEPTED.wire().equals(filter.outcome())
                ? clearedUpTo(tenant) : null;

        // The merged newest limit+1 matches below the cursor: the page and the sign that another follows.
        // First read each partition's share of the page; a filter DynamoDB checks while reading
        // (event type, ordering key, delivered) may need wider reads later, up to RESIDUAL_FILTER_READ items.
        boolean residual = filter.eventType() != null || filter.orderingKey() != null
                || Dispatch.Outcome.DELIVERED.wire().equals(filter.outcome())
                || clearedUpTo != null && filter.outcome() == null;
        int share = Math.min(limit + 1, Math.max(10, (limit + 1) / Math.max(1, partitions.size()) + 2));
        List<MergedPartitions.Partition> queries = partitions.stream()
                .map(webhookId -> partition(tenant, webhookId, filter, before, clearedUpTo)).toList();
        MergedPartitions.Merged merged = MergedPartitions.newest(queries, limit + 1, share,
                residual ? RESIDUAL_FILTER_READ : limit + 1, partitions.size() + MAX_EXTRA_QUERIES);
        List<Map<String, AttributeValue>> matches = merged.items();
        List<Map<String, AttributeValue>> candidates = matches.subList(0, Math.min(limit, matches.size()));

        Map<String, String> payloads = events.payloads(tenant, candidates.stream().map(i -> i.get("eventId").s()).toList());
        List<Dispatch> page = new ArrayList<>();
        long bytes = 0;
        for (Map<String, AttributeValue> item : candidates) {
            Dispatch d = fromItem(tenant, item).withPayload(payloads.get(item.get("eventId").s()));
            long itsBytes = size.bytesOf().applyAsLong(d);
            if (!page.isEmpty() && bytes + itsBytes > size.maxBytes()) {
                break;
            }
            page.add(d);
            bytes += itsBytes;
        }
        String next;
        if (page.size() < matches.size()) {
            next = CursorCodec.encodeBoundary(tenant, list, page.get(page.size() - 1).id());
        } else if (merged.truncated()) {
            // The read budget ran out first: a short (even empty) page, and a cursor that resumes
            // below everything this request read.
            next = CursorCodec.encodeBoundary(tenant, list,
                    page.isEmpty() ? merged.resumeBelow() : page.get(page.size() - 1).id());
        } else {
            next = null;
        }
        return new Page<>(page, next);
    }

    /**
     * One webhook's dispatches that match the filter, newest first, older than {@code before}:
     * failed and intercepted ones from the sparse index, the rest from the webhook's partition,
     * with the filters the key does not answer checked by DynamoDB. Intercepted ones up to
     * {@code clearedUpTo} (a cleared log) are left out: the sparse index is read from above it,
     * the partition's are dropped as read (a filter expression cannot name the sort key).
     */
    private MergedPartitions.Partition partition(String tenant, String webhookId, Filter f, String before,
            String clearedUpTo) {
        boolean sparse = f.outcome() != null && hasOutcomeIndex(f.outcome());
        String pkAttribute = sparse ? GSI1PK : PK;
        String skAttribute = sparse ? GSI1SK : SK;
        Map<String, String> names = new HashMap<>(Map.of("#pk", pkAttribute));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(
                sparse ? dispatchesByOutcomeKey(tenant, webhookId, f.outcome()) : dispatchesKey(tenant, webhookId))));
        String keyCondition = "#pk = :pk";
        boolean aboveClear = sparse && clearedUpTo != null && Dispatch.Outcome.INTERCEPTED.wire().equals(f.outcome());
        if (aboveClear && before != null && before.compareTo(clearedUpTo) <= 0) {
            return (start, limit) -> QueryResponse.builder().items(List.of()).count(0).build(); // all of it cleared
        }
        if (aboveClear) {
            values.put(":cleared", AttributeValue.fromS(clearedUpTo));
        }
        if (before != null) {
            values.put(":before", AttributeValue.fromS(before));
        }
        if (aboveClear || before != null) {
            names.put("#sk", skAttribute);
            // One condition per sort key: with both bounds BETWEEN, whose ends, being inclusive,
            // are dropped as read below.
            keyCondition += aboveClear && before != null ? " AND #sk BETWEEN :cleared AND :before"
                    : aboveClear ? " AND #sk > :cleared" : " AND #sk < :before";
        }
        List<String> conditions = new ArrayList<>();
        addCondition(conditions, names, values, "eventType", f.eventType());
        addCondition(conditions, names, values, "outcome", sparse ? null : f.outcome());
        if (f.orderingKey() != null) {
            // the key is recorded only as the header it was sent with: no attribute of its own to write
            names.put("#headers", "requestHeaders");
            names.put("#orderingKey", OrderingKey.HEADER);
            values.put(":orderingKey", AttributeValue.fromS(f.orderingKey()));
            conditions.add("#headers.#orderingKey = :orderingKey");
        }
        String residual = conditions.isEmpty() ? null : String.join(" AND ", conditions);
        String condition = keyCondition;
        return (start, limit) -> {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                    .keyConditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .exclusiveStartKey(start)
                    // Limit counts items read before the filter.
                    .limit(limit);
            if (sparse) {
                query.indexName(GSI1);
            }
            if (residual != null) {
                query.filterExpression(residual);
            }
            QueryResponse response = dynamo.query(query.build());
            if (clearedUpTo == null) {
                return response;
            }
            List<Map<String, AttributeValue>> kept = response.items().stream()
                    .filter(item -> !clearedFromLog(item, clearedUpTo)
                            && (before == null || item.get(SK).s().compareTo(before) < 0))
                    .toList();
            return kept.size() == response.items().size() ? response
                    : response.toBuilder().items(kept).count(kept.size()).build();
        };
    }

    private static void addCondition(List<String> conditions, Map<String, String> names,
            Map<String, AttributeValue> values, String attribute, String value) {
        if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, AttributeValue.fromS(value));
            conditions.add("#" + attribute + " = :" + attribute);
        }
    }

    /** The greatest dispatch id a clear of the tenant's test-mode log hides (null: never cleared), read strongly consistent. */
    private String clearedUpTo(String tenant) {
        Instant at = testModes.get(tenant).logClearedAt();
        return at == null ? null : Ids.lastDispatchIdAt(at);
    }


    /**
     * The webhook's partition between the ids of {@code since} and {@code until} (a dispatch id
     * is a ULID of its start), newest first, five attributes projected. A projection does not
     * lower the read units (DynamoDB charges the items' full size) but keeps the response small.
     */
    @Override
    public Window window(String tenant, String webhookId, Instant since, Instant until, int max) {
        String clearedUpTo = clearedUpTo(tenant);
        List<DeliveryStats.Attempt> attempts = new ArrayList<>();
        int read = 0; // a cleared log's entries are read but not counted: the bound stays on what is read
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .projectionExpression("#sk, eventId, outcome, latencyMs, createdAt, nextAttemptAt")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS(dispatchesKey(tenant, webhookId)),
                            ":from", AttributeValue.fromS(Ids.firstDispatchIdAt(since)),
                            ":to", AttributeValue.fromS(Ids.lastDispatchIdAt(until))))
                    .scanIndexForward(false)
                    .limit(max + 1 - read)
                    .exclusiveStartKey(start)
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (++read > max) {
                    break;
                }
                if (!clearedFromLog(item, clearedUpTo)) {
                    attempts.add(new DeliveryStats.Attempt(item.get("eventId").s(), item.get("outcome").s(),
                            Long.parseLong(item.get("latencyMs").n()),
                            Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
                            item.containsKey("nextAttemptAt")));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && read <= max);
        return new Window(attempts, read > max);
    }

}
