package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.*;
import com.astra.webhooks.model.Dispatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * How a dispatch is laid out as an item, shared by the store that writes dispatches and the one
 * that reads the history: under {@code W#tenant#webhookId / dispatchId}, each webhook's history
 * one partition in id (= time) order. Failed and intercepted dispatches also carry the key of the
 * sparse index gsi1 ({@code W#tenant#webhookId#outcome}), which no delivered dispatch writes.
 */
final class DispatchItems {
    private DispatchItems() {}

    /** The rule of a cleared log: an intercepted dispatch made up to the clear's moment is gone. */
    static boolean clearedFromLog(Map<String, AttributeValue> item, String clearedUpTo) {
        return clearedUpTo != null && Dispatch.Outcome.INTERCEPTED.wire().equals(item.get("outcome").s())
                && item.get(SK).s().compareTo(clearedUpTo) <= 0;
    }

    /** Outcomes the sparse index holds; delivered, the common one, writes no index entry. */
    static boolean hasOutcomeIndex(String outcome) {
        return !Dispatch.Outcome.DELIVERED.wire().equals(outcome);
    }

    /** The tenant's webhooks, whose partitions hold its history (keys only). */
    static List<String> webhookIds(DynamoDbClient dynamo, String table, String tenant) {
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

    /** The items of these keys, 100 keys (BatchGetItem's most) a request; missing ones are absent. */
    static List<Map<String, AttributeValue>> getAll(DynamoDbClient dynamo, String table,
            List<Map<String, AttributeValue>> keys, boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            var chunk = keys.subList(from, Math.min(keys.size(), from + 100));
            items.addAll(BatchReads.getAll(dynamo, table,
                    KeysAndAttributes.builder().keys(chunk).consistentRead(consistent).build()));
        }
        return items;
    }

    /** A dispatch's full key in gsi1 (the index's and the table's), to resume a query of the index after it. */
    static Map<String, AttributeValue> indexKey(String tenant, String webhookId, String outcomeKey, String id) {
        return Map.of(PK, AttributeValue.fromS(dispatchesKey(tenant, webhookId)), SK, AttributeValue.fromS(id),
                GSI1PK, AttributeValue.fromS(outcomeKey), GSI1SK, AttributeValue.fromS(id));
    }

    static Map<String, AttributeValue> key(String tenant, String webhookId, String id) {
        return Map.of(PK, AttributeValue.fromS(dispatchesKey(tenant, webhookId)), SK, AttributeValue.fromS(id));
    }

    /**
     * The item is kept under 1 KB for a healthy delivery (one write unit): no index keys unless
     * failed or intercepted, long texts compressed, times as epoch milliseconds.
     */
    static Map<String, AttributeValue> toItem(Dispatch d, Duration retention) {
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

    static Dispatch fromItem(String tenant, Map<String, AttributeValue> item) {
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
