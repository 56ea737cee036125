package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.*;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Dispatches under {@code T#tenant#D / dispatchId}, indexed by webhook, event type and outcome
 * (see {@link TableLayout}). A list reads one index partition in key order, so a page costs the
 * same whatever the table holds; the item and its payload are then fetched by key.
 */
public final class DynamoDbDispatchStore implements DispatchStore {

    /** Index items read per call while a residual filter skips some: about 40 KB of small index items. */
    private static final int RESIDUAL_FILTER_READ = 250;

    private final DynamoDbClient dynamo;
    private final String table;
    private final EventStore events;
    private final Duration retention;

    public DynamoDbDispatchStore(DynamoDbClient dynamo, String table, EventStore events, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.events = events;
        this.retention = retention;
    }

    @Override
    public void put(Dispatch d) {
        dynamo.putItem(b -> b.tableName(table).item(toItem(d)));
    }

    @Override
    public Optional<Dispatch> get(String tenant, String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, id))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Dispatch d = fromItem(tenant, item);
        return Optional.of(d.withPayload(events.payload(tenant, d.eventId()).orElse(null)));
    }

    @Override
    public Page<Dispatch> list(String tenant, Filter filter, int limit, String cursor, long maxBytes) {
        IndexChoice index = IndexChoice.of(tenant, filter);
        String list = "dispatches:" + index.name;
        Map<String, AttributeValue> start = CursorCodec.decode(cursor, tenant, list, index.keyAttributes(), index.pkAttribute,
                index.pkValue);

        // Gather the keys of one more match than the page holds, to know whether another page
        // follows. Filters beyond the one the index answers are checked on the index itself
        // (it carries webhookId, eventType and outcome), so only matches are ever fetched whole.
        Map<String, String> names = new HashMap<>(Map.of("#pk", index.pkAttribute));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(index.pkValue)));
        String residual = residualFilter(filter, index, names, values);
        List<Map<String, AttributeValue>> matches = new ArrayList<>();
        while (matches.size() <= limit) {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .exclusiveStartKey(start)
                    // Limit counts items read before the filter: read wider when some will not match.
                    .limit(residual == null ? limit + 1 - matches.size() : RESIDUAL_FILTER_READ);
            if (index.indexName != null) {
                query.indexName(index.indexName);
            }
            if (residual != null) {
                query.filterExpression(residual);
            }
            QueryResponse response = dynamo.query(query.build());
            for (Map<String, AttributeValue> item : response.items()) {
                if (matches.size() <= limit) {
                    matches.add(item);
                }
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                break;
            }
            start = response.lastEvaluatedKey();
        }

        List<Map<String, AttributeValue>> candidates = fetch(matches.subList(0, Math.min(limit, matches.size())), index);
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
        String next = null;
        if (page.size() < matches.size()) {
            Map<String, AttributeValue> last = matches.get(page.size() - 1);
            next = CursorCodec.encode(tenant, list, index.cursorKey(last));
        }
        return new Page<>(page, next);
    }

    /** Index items carry keys and filter fields only: fetch the whole items, in the index's order. */
    private List<Map<String, AttributeValue>> fetch(List<Map<String, AttributeValue>> keys, IndexChoice index) {
        if (index.indexName == null || keys.isEmpty()) {
            return keys;
        }
        List<Map<String, AttributeValue>> tableKeys = keys.stream().map(k -> Map.of(PK, k.get(PK), SK, k.get(SK))).toList();
        Map<String, Map<String, AttributeValue>> bySortKey = new HashMap<>();
        for (int from = 0; from < tableKeys.size(); from += 100) {
            var chunk = tableKeys.subList(from, Math.min(tableKeys.size(), from + 100));
            for (var item : BatchReads.getAll(dynamo, table, KeysAndAttributes.builder().keys(chunk).build())) {
                bySortKey.put(item.get(SK).s(), item);
            }
        }
        List<Map<String, AttributeValue>> ordered = new ArrayList<>();
        for (var k : tableKeys) {
            var item = bySortKey.get(k.get(SK).s());
            if (item != null) { // expired between the index read and the fetch
                ordered.add(item);
            }
        }
        return ordered;
    }

    /** The filters the chosen index's key does not already answer, as a filter expression (null: none). */
    private static String residualFilter(Filter f, IndexChoice index, Map<String, String> names,
            Map<String, AttributeValue> values) {
        List<String> conditions = new ArrayList<>();
        addCondition(conditions, names, values, "webhookId", f.webhookId(), index.name.equals("webhook"));
        addCondition(conditions, names, values, "eventType", f.eventType(), index.name.equals("type"));
        addCondition(conditions, names, values, "outcome", f.outcome(), index.name.equals("outcome"));
        return conditions.isEmpty() ? null : String.join(" AND ", conditions);
    }

    private static void addCondition(List<String> conditions, Map<String, String> names,
            Map<String, AttributeValue> values, String attribute, String value, boolean answeredByKey) {
        if (value != null && !answeredByKey) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, AttributeValue.fromS(value));
            conditions.add("#" + attribute + " = :" + attribute);
        }
    }

    @Override
    public int deleteIntercepted(String tenant) {
        QueryRequest query = QueryRequest.builder().tableName(table).indexName(GSI3)
                .keyConditionExpression("gsi3pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(
                        dispatchesByOutcomeKey(tenant, Dispatch.Outcome.INTERCEPTED.wire()))))
                .build();
        int deleted = 0;
        List<WriteRequest> batch = new ArrayList<>();
        for (QueryResponse page : dynamo.queryPaginator(query)) {
            for (var k : page.items()) {
                batch.add(WriteRequest.builder().deleteRequest(d -> d.key(Map.of(PK, k.get(PK), SK, k.get(SK)))).build());
                if (batch.size() == 25) {
                    deleted += writeAll(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        return deleted + writeAll(batch);
    }

    private int writeAll(List<WriteRequest> requests) {
        Map<String, List<WriteRequest>> pending = requests.isEmpty() ? Map.of() : Map.of(table, requests);
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round > 0) {
                BatchReads.backOff(round);
            }
            Map<String, List<WriteRequest>> send = pending;
            var response = dynamo.batchWriteItem(b -> b.requestItems(send));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
        return requests.size();
    }

    /** Which key partition answers a filter: the webhook's, else the event type's, else the outcome's, else the tenant's. */
    private record IndexChoice(String name, String indexName, String pkAttribute, String skAttribute, String pkValue) {
        static IndexChoice of(String tenant, Filter f) {
            if (f.webhookId() != null) {
                return new IndexChoice("webhook", GSI1, GSI1PK, GSI1SK, dispatchesByWebhookKey(tenant, f.webhookId()));
            }
            if (f.eventType() != null) {
                return new IndexChoice("type", GSI2, GSI2PK, GSI2SK, dispatchesByTypeKey(tenant, f.eventType()));
            }
            if (f.outcome() != null) {
                return new IndexChoice("outcome", GSI3, GSI3PK, GSI3SK, dispatchesByOutcomeKey(tenant, f.outcome()));
            }
            return new IndexChoice("all", null, PK, SK, dispatchesKey(tenant));
        }

        Set<String> keyAttributes() {
            return indexName == null ? Set.of(PK, SK) : Set.of(PK, SK, pkAttribute, skAttribute);
        }

        Map<String, AttributeValue> cursorKey(Map<String, AttributeValue> item) {
            Map<String, AttributeValue> k = new LinkedHashMap<>();
            k.put(PK, item.get(PK));
            k.put(SK, item.get(SK));
            if (indexName != null) {
                k.put(pkAttribute, item.get(pkAttribute));
                k.put(skAttribute, item.get(skAttribute));
            }
            return k;
        }
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

    private static Map<String, AttributeValue> key(String tenant, String id) {
        return Map.of(PK, AttributeValue.fromS(dispatchesKey(tenant)), SK, AttributeValue.fromS(id));
    }

    private Map<String, AttributeValue> toItem(Dispatch d) {
        Map<String, AttributeValue> item = new HashMap<>(key(d.tenant(), d.id()));
        item.put(GSI1PK, AttributeValue.fromS(dispatchesByWebhookKey(d.tenant(), d.webhookId())));
        item.put(GSI1SK, AttributeValue.fromS(d.id()));
        item.put(GSI2PK, AttributeValue.fromS(dispatchesByTypeKey(d.tenant(), d.eventType())));
        item.put(GSI2SK, AttributeValue.fromS(d.id()));
        item.put(GSI3PK, AttributeValue.fromS(dispatchesByOutcomeKey(d.tenant(), d.outcome().wire())));
        item.put(GSI3SK, AttributeValue.fromS(d.id()));
        item.put("webhookId", AttributeValue.fromS(d.webhookId()));
        item.put("eventId", AttributeValue.fromS(d.eventId()));
        item.put("eventType", AttributeValue.fromS(d.eventType()));
        item.put("url", AttributeValue.fromS(d.url()));
        item.put("attempt", AttributeValue.fromN(Integer.toString(d.attempt())));
        item.put("outcome", AttributeValue.fromS(d.outcome().wire()));
        if (d.statusCode() != null) {
            item.put("statusCode", AttributeValue.fromN(d.statusCode().toString()));
        }
        if (d.responseBody() != null && !d.responseBody().isEmpty()) {
            item.put("responseBody", AttributeValue.fromS(d.responseBody()));
        }
        item.put("latencyMs", AttributeValue.fromN(Long.toString(d.latencyMs())));
        if (d.error() != null) {
            item.put("error", AttributeValue.fromS(d.error()));
        }
        if (d.requestHeaders() != null && !d.requestHeaders().isEmpty()) {
            Map<String, AttributeValue> headers = new HashMap<>();
            d.requestHeaders().forEach((k, v) -> headers.put(k, AttributeValue.fromS(v)));
            item.put("requestHeaders", AttributeValue.fromM(headers));
        }
        item.put("createdAt", AttributeValue.fromS(d.createdAt().toString()));
        if (d.nextAttemptAt() != null) {
            item.put("nextAttemptAt", AttributeValue.fromS(d.nextAttemptAt().toString()));
        }
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(d.createdAt().plus(retention).getEpochSecond())));
        return item;
    }

    private static Dispatch fromItem(String tenant, Map<String, AttributeValue> item) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (item.containsKey("requestHeaders")) {
            item.get("requestHeaders").m().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> headers.put(e.getKey(), e.getValue().s()));
        }
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
                item.containsKey("responseBody") ? item.get("responseBody").s() : "",
                Long.parseLong(item.get("latencyMs").n()),
                item.containsKey("error") ? item.get("error").s() : null,
                headers,
                null,
                Instant.parse(item.get("createdAt").s()),
                item.containsKey("nextAttemptAt") ? Instant.parse(item.get("nextAttemptAt").s()) : null);
    }
}
