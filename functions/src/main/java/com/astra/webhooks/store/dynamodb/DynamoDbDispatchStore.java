package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.*;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Dispatches under {@code W#tenant#webhookId / dispatchId}: each webhook's history is one
 * partition in id (= time) order, so a webhook's deliveries need no index. Failed and
 * intercepted dispatches also carry the key of the sparse index gsi1 ({@code W#tenant#webhookId#outcome}),
 * which no delivered dispatch writes. A tenant-wide list reads each of the tenant's webhooks'
 * partitions and merges them (see {@link TableLayout}); its cursor is the id of the last
 * dispatch returned, so every partition resumes below it and a page costs the same whatever
 * the table holds.
 *
 * <p>A clear of the test-mode log hides, at once, every intercepted dispatch up to its mark (the
 * tenant's {@code logClearedAt}), in every list and by id, while the items are deleted a bounded
 * chunk at a time ({@link #deleteIntercepted}). The log's own query starts above the mark, so it
 * reads none of the hidden entries, however many are still to be deleted.
 */
public final class DynamoDbDispatchStore implements DispatchStore {

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
    private final Duration retention;
    private final TestModeStore testModes;

    public DynamoDbDispatchStore(DynamoDbClient dynamo, String table, EventStore events, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.events = events;
        this.retention = retention;
        this.testModes = new DynamoDbTestModeStore(dynamo, table);
    }

    /**
     * One conditional write. When it fails its condition the item it found comes back with the
     * failure; if that item is the very one this call wrote, an earlier try of this call was
     * applied and its answer lost (a 500 or a reset after the fact, then the SDK's retry), and
     * the record is ours. An item of another worker differs: its POST had its own latency and
     * signature timestamp. Two items equal in every attribute are one outcome either way.
     */
    @Override
    public boolean record(Dispatch d) {
        Map<String, AttributeValue> item = toItem(d);
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> found = e.hasItem() && !e.item().isEmpty() ? e.item()
                    : dynamo.getItem(b -> b.tableName(table).key(key(d.tenant(), d.webhookId(), d.id()))
                            .consistentRead(true)).item();
            return item.equals(found);
        }
    }

    @Override
    public void put(Dispatch d) {
        dynamo.putItem(b -> b.tableName(table).item(toItem(d)));
    }

    @Override
    public Map<String, Dispatch> find(String tenant, Map<String, String> dispatchIdByWebhook) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        dispatchIdByWebhook.forEach((webhookId, id) -> keys.add(key(tenant, webhookId, id)));
        Map<String, Dispatch> found = new HashMap<>();
        for (var item : getAll(keys, true)) {
            Dispatch d = fromItem(tenant, item);
            found.put(d.webhookId(), d);
        }
        return found;
    }

    @Override
    public void dropRetry(String tenant, String webhookId, String dispatchId, String reason) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, webhookId, dispatchId))
                    .updateExpression("SET #error = :error REMOVE nextAttemptAt")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#error", "error"))
                    .expressionAttributeValues(Map.of(":error", AttributeValue.fromS(reason))));
        } catch (ConditionalCheckFailedException e) {
            // expired: nothing left to correct
        }
    }

    @Override
    public Optional<Dispatch> get(String tenant, String id) {
        List<Map<String, AttributeValue>> keys = webhookIds(tenant).stream().map(w -> key(tenant, w, id)).toList();
        List<Map<String, AttributeValue>> found = getAll(keys, false);
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
    public Page<Dispatch> list(String tenant, Filter filter, int limit, String cursor, long maxBytes) {
        String list = "dispatches:" + (filter.webhookId() == null ? "" : filter.webhookId()) + ":"
                + (filter.eventType() == null ? "" : filter.eventType()) + ":"
                + (filter.outcome() == null ? "" : filter.outcome())
                + (filter.webhookIds() == null ? "" : ":" + String.join(",", new java.util.TreeSet<>(filter.webhookIds())));
        String before = CursorCodec.decodeBoundary(cursor, tenant, list);
        List<String> partitions = filter.webhookId() != null ? List.of(filter.webhookId())
                : filter.webhookIds() != null ? List.copyOf(new java.util.TreeSet<>(filter.webhookIds())) : webhookIds(tenant);
        if (filter.webhookIds() != null && filter.webhookId() != null && !filter.webhookIds().contains(filter.webhookId())) {
            return new Page<>(List.of(), null);
        }
        String clearedUpTo = filter.outcome() == null || Dispatch.Outcome.INTERCEPTED.wire().equals(filter.outcome())
                ? clearedUpTo(tenant) : null;

        // The merged newest limit+1 matches below the cursor: the page and the sign that another follows.
        // First read each partition's share of the page; a filter DynamoDB checks while reading
        // (event type, delivered) may need wider reads later, up to RESIDUAL_FILTER_READ items.
        boolean residual = filter.eventType() != null || Dispatch.Outcome.DELIVERED.wire().equals(filter.outcome())
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
            long size = approximateJsonBytes(d);
            if (!page.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            page.add(d);
            bytes += size;
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

    /** The rule of a cleared log: an intercepted dispatch made up to the clear's moment is gone. */
    private static boolean clearedFromLog(Map<String, AttributeValue> item, String clearedUpTo) {
        return clearedUpTo != null && Dispatch.Outcome.INTERCEPTED.wire().equals(item.get("outcome").s())
                && item.get(SK).s().compareTo(clearedUpTo) <= 0;
    }

    /** Outcomes the sparse index holds; delivered, the common one, writes no index entry. */
    private static boolean hasOutcomeIndex(String outcome) {
        return !Dispatch.Outcome.DELIVERED.wire().equals(outcome);
    }

    /** The tenant's webhooks, whose partitions hold its history (keys only). */
    private List<String> webhookIds(String tenant) {
        QueryRequest query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(tenantKey(tenant)),
                        ":prefix", AttributeValue.fromS(WEBHOOK_PREFIX)))
                .projectionExpression("sk")
                .build();
        List<String> ids = new ArrayList<>();
        for (QueryResponse page : dynamo.queryPaginator(query)) {
            page.items().forEach(i -> ids.add(i.get(SK).s().substring(WEBHOOK_PREFIX.length())));
        }
        return ids;
    }

    private List<Map<String, AttributeValue>> getAll(List<Map<String, AttributeValue>> keys, boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            var chunk = keys.subList(from, Math.min(keys.size(), from + 100));
            items.addAll(BatchReads.getAll(dynamo, table,
                    KeysAndAttributes.builder().keys(chunk).consistentRead(consistent).build()));
        }
        return items;
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

    @Override
    public Page<Dispatch> finalFailures(String tenant, String webhookId, Instant since, Instant until, String after,
            int maxRead) {
        String failedKey = dispatchesByOutcomeKey(tenant, webhookId, Dispatch.Outcome.FAILED.wire());
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(GSI1)
                .keyConditionExpression("gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi")
                .filterExpression("attribute_not_exists(nextAttemptAt) AND attribute_not_exists(recoveredAt)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(failedKey),
                        ":lo", AttributeValue.fromS(Ids.firstDispatchIdAt(since)),
                        ":hi", AttributeValue.fromS(Ids.lastDispatchIdAt(until))))
                .scanIndexForward(false)
                .limit(maxRead);
        if (after != null) {
            query.exclusiveStartKey(indexKey(tenant, webhookId, failedKey, after));
        }
        QueryResponse response = dynamo.query(query.build());
        List<Dispatch> items = response.items().stream().map(item -> fromItem(tenant, item)).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get(GSI1SK).s() : null;
        return new Page<>(items, next);
    }

    @Override
    public boolean claimRecovery(String tenant, String webhookId, String dispatchId, Instant at, String claim) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, webhookId, dispatchId))
                    .updateExpression("SET recoveredAt = if_not_exists(recoveredAt, :at), recoveredBy = :by")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(recoveredAt) OR recoveredBy = :by)")
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(Long.toString(at.toEpochMilli())),
                            ":by", AttributeValue.fromS(claim))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<String> recoveryMark(String tenant, String webhookId, String dispatchId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, webhookId, dispatchId))
                .consistentRead(true).projectionExpression("recoveredAt, recoveredBy")).item();
        if (item == null || !item.containsKey("recoveredAt")) {
            return Optional.empty();
        }
        return Optional.of(item.containsKey("recoveredBy") ? item.get("recoveredBy").s() : "");
    }

    @Override
    public ClearPosition deleteIntercepted(String tenant, Instant clearedAt, ClearPosition from, int maxItems,
            int maxQueries) {
        String upTo = Ids.lastDispatchIdAt(clearedAt);
        int left = maxItems;
        int queries = 0;
        for (String webhookId : webhookIds(tenant)) {
            if (from.webhookId() != null && webhookId.compareTo(from.webhookId()) < 0) {
                continue; // cleared by an earlier call
            }
            String interceptedKey = dispatchesByOutcomeKey(tenant, webhookId, Dispatch.Outcome.INTERCEPTED.wire());
            String after = webhookId.equals(from.webhookId()) ? from.after() : null;
            while (true) {
                if (left <= 0 || queries == maxQueries) {
                    return new ClearPosition(webhookId, after);
                }
                QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(GSI1)
                        .keyConditionExpression("gsi1pk = :pk AND gsi1sk <= :upTo")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(interceptedKey),
                                ":upTo", AttributeValue.fromS(upTo)))
                        .projectionExpression("pk, sk")
                        .limit(left);
                if (after != null) {
                    query.exclusiveStartKey(indexKey(tenant, webhookId, interceptedKey, after));
                }
                QueryResponse page = dynamo.query(query.build());
                queries++;
                List<Map<String, AttributeValue>> keys = page.items();
                for (int i = 0; i < keys.size(); i += 25) {
                    List<Map<String, AttributeValue>> chunk = keys.subList(i, Math.min(keys.size(), i + 25));
                    int rounds;
                    try {
                        rounds = writeAll(chunk.stream().map(k -> WriteRequest.builder()
                                .deleteRequest(d -> d.key(Map.of(PK, k.get(PK), SK, k.get(SK)))).build()).toList());
                    } catch (BatchReads.GaveUpException e) {
                        return new ClearPosition(webhookId, after); // this batch again, next call
                    }
                    after = chunk.get(chunk.size() - 1).get(SK).s();
                    left -= chunk.size();
                    if (rounds > 1) {
                        // throttled: every further batch could take its whole back-off too; the rest waits
                        return new ClearPosition(webhookId, after);
                    }
                }
                if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                    break;
                }
                after = page.lastEvaluatedKey().get(SK).s();
            }
        }
        return null;
    }

    /** Writes them all, repeating what DynamoDB left unprocessed up to the cap; returns the rounds it took. */
    private int writeAll(List<WriteRequest> requests) {
        Map<String, List<WriteRequest>> pending = requests.isEmpty() ? Map.of() : Map.of(table, requests);
        int round = 0;
        for (; !pending.isEmpty(); round++) {
            if (round > 0) {
                BatchReads.backOff(round);
            }
            Map<String, List<WriteRequest>> send = pending;
            var response = dynamo.batchWriteItem(b -> b.requestItems(send));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            BatchReads.giveUpAfter(round, pending, "writes");
        }
        return round;
    }

    /**
     * An upper bound of the bytes a dispatch takes in a list response as the Lambda hands it to
     * API Gateway: the dispatch is written as JSON, and that JSON is then carried as the string
     * {@code body} of the Lambda's response document, so every string is escaped twice (a quote
     * in a payload, already {@code \"} there, ends up as eight bytes). API Gateway's 6 MB limit
     * counts that document.
     */
    static long approximateJsonBytes(Dispatch d) {
        long size = 1024; // ids, numbers, timestamps, field names and JSON punctuation, escaped twice
        size += encodedTwiceBytes(d.payload());
        size += encodedTwiceBytes(d.responseBody());
        size += encodedTwiceBytes(d.url()) + encodedTwiceBytes(d.error());
        if (d.requestHeaders() != null) {
            for (var e : d.requestHeaders().entrySet()) {
                size += encodedTwiceBytes(e.getKey()) + encodedTwiceBytes(e.getValue()) + 16;
            }
        }
        return size;
    }

    /** UTF-8 bytes of {@code s} once escaped as a JSON string and the result escaped again. */
    static long encodedTwiceBytes(String s) {
        if (s == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 4; // \" then \\\"
            } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                bytes += 7; // six-character escape, then one more backslash: the worst spelling
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2; // a surrogate pair is four bytes of UTF-8
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** A dispatch's full key in gsi1 (the index's and the table's), to resume a query of the index after it. */
    private static Map<String, AttributeValue> indexKey(String tenant, String webhookId, String outcomeKey, String id) {
        return Map.of(PK, AttributeValue.fromS(dispatchesKey(tenant, webhookId)), SK, AttributeValue.fromS(id),
                GSI1PK, AttributeValue.fromS(outcomeKey), GSI1SK, AttributeValue.fromS(id));
    }

    private static Map<String, AttributeValue> key(String tenant, String webhookId, String id) {
        return Map.of(PK, AttributeValue.fromS(dispatchesKey(tenant, webhookId)), SK, AttributeValue.fromS(id));
    }

    /**
     * The item is kept under 1 KB for a healthy delivery (one write unit): no index keys unless
     * failed or intercepted, long texts compressed, times as epoch milliseconds.
     */
    private Map<String, AttributeValue> toItem(Dispatch d) {
        Map<String, AttributeValue> item = new HashMap<>(key(d.tenant(), d.webhookId(), d.id()));
        if (hasOutcomeIndex(d.outcome().wire())) {
            item.put(GSI1PK, AttributeValue.fromS(dispatchesByOutcomeKey(d.tenant(), d.webhookId(), d.outcome().wire())));
            item.put(GSI1SK, AttributeValue.fromS(d.id()));
        }
        item.put("webhookId", AttributeValue.fromS(d.webhookId()));
        item.put("eventId", AttributeValue.fromS(d.eventId()));
        item.put("eventType", AttributeValue.fromS(d.eventType()));
        item.put("url", AttributeValue.fromS(d.url()));
        item.put("attempt", AttributeValue.fromN(Integer.toString(d.attempt())));
        item.put("outcome", AttributeValue.fromS(d.outcome().wire()));
        if (d.statusCode() != null) {
            item.put("statusCode", AttributeValue.fromN(d.statusCode().toString()));
        }
        CompressedText.put(item, "responseBody", d.responseBody());
        item.put("latencyMs", AttributeValue.fromN(Long.toString(d.latencyMs())));
        if (d.error() != null) {
            item.put("error", AttributeValue.fromS(d.error()));
        }
        if (d.requestHeaders() != null && !d.requestHeaders().isEmpty()) {
            Map<String, AttributeValue> headers = new HashMap<>();
            d.requestHeaders().forEach((k, v) -> headers.put(k, AttributeValue.fromS(v)));
            item.put("requestHeaders", AttributeValue.fromM(headers));
        }
        item.put("createdAt", AttributeValue.fromN(Long.toString(d.createdAt().toEpochMilli())));
        if (d.nextAttemptAt() != null) {
            item.put("nextAttemptAt", AttributeValue.fromN(Long.toString(d.nextAttemptAt().toEpochMilli())));
        }
        if (d.trigger() != Dispatch.Trigger.EVENT) {
            item.put("trigger", AttributeValue.fromS(d.trigger().wire())); // absent means "event": no bytes on the common path
        }
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(d.createdAt().plus(retention).getEpochSecond())));
        return item;
    }

    private static Dispatch fromItem(String tenant, Map<String, AttributeValue> item) {
        Map<String, String> headers = new TreeMap<>();
        if (item.containsKey("requestHeaders")) {
            item.get("requestHeaders").m().forEach((k, v) -> headers.put(k, v.s()));
        }
        String responseBody = CompressedText.get(item, "responseBody");
        return new Dispatch(
                item.get(SK).s(),
                tenant,
                item.get("webhookId").s(),
                item.get("eventId").s(),
                item.get("eventType").s(),
                item.get("url").s(),
                Integer.parseInt(item.get("attempt").n()),
                Dispatch.Outcome.fromWire(item.get("outcome").s()),
                item.containsKey("statusCode") ? Integer.valueOf(item.get("statusCode").n()) : null,
                responseBody == null ? "" : responseBody,
                Long.parseLong(item.get("latencyMs").n()),
                item.containsKey("error") ? item.get("error").s() : null,
                new LinkedHashMap<>(headers),
                null,
                Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
                item.containsKey("nextAttemptAt") ? Instant.ofEpochMilli(Long.parseLong(item.get("nextAttemptAt").n())) : null,
                item.containsKey("trigger") ? Dispatch.Trigger.fromWire(item.get("trigger").s()) : Dispatch.Trigger.EVENT);
    }
}
