package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.DispatchItems.*;
import static com.astra.webhooks.store.dynamodb.TableLayout.*;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.store.DispatchStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Dispatch records as the dispatcher and the jobs write them (see {@link DispatchItems} for the
 * layout), with the key and index reads those writes depend on. The user's view of them is
 * {@link DynamoDbDispatchHistory}.
 */
public final class DynamoDbDispatchStore implements DispatchStore {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoDbDispatchStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
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
        Map<String, AttributeValue> item = toItem(d, retention);
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
        dynamo.putItem(b -> b.tableName(table).item(toItem(d, retention)));
    }

    @Override
    public Map<String, Dispatch> find(String tenant, Map<String, String> dispatchIdByWebhook) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        dispatchIdByWebhook.forEach((webhookId, id) -> keys.add(key(tenant, webhookId, id)));
        Map<String, Dispatch> found = new HashMap<>();
        for (var item : getAll(dynamo, table, keys, true)) {
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
        for (String webhookId : webhookIds(dynamo, table, tenant)) {
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

}
