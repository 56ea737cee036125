package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.WebhookLimitReachedException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Each tenant's webhooks counted in {@code T#tenant / WEBHOOK_COUNT}: a create is one
 * transaction of the webhook's put and {@code count + 1} on the condition {@code count < cap}, a
 * delete one of the webhook's delete (if it exists) and {@code count - 1}. So the count is exact
 * however many writers race, and the cap holds. A tenant without a count (one from before it
 * existed, or a new one) gets it from one counting query before its first change: no create or
 * delete succeeds while it is missing, so the number counted cannot move meanwhile.
 */
final class WebhookCount {

    /** The attribute of the count item that holds the number of the tenant's webhooks. */
    private static final String COUNT = "webhooks";
    /**
     * Tries of one create or delete: a transaction on the count can lose to a concurrent one
     * (DynamoDB cancels it with TransactionConflict), and a missing count is started once.
     */
    static final int MAX_TRIES = 6;
    private static final long BACKOFF_MS = 20;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int maxWebhooks;

    WebhookCount(DynamoDbClient dynamo, String table, int maxWebhooks) {
        this.dynamo = dynamo;
        this.table = table;
        this.maxWebhooks = maxWebhooks;
    }

    /**
     * Writes {@code change} (of one webhook item, on a condition) and adds {@code delta} to the
     * tenant's count, in one transaction. False when the change's own condition failed (nothing
     * written); a transaction that lost to a concurrent one is tried again, a few times.
     *
     * @throws WebhookLimitReachedException when {@code delta} would take the count past the cap
     */
    boolean change(String tenant, TransactWriteItem change, int delta) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":delta", AttributeValue.fromN(Integer.toString(delta)));
        String condition;
        if (delta > 0) {
            condition = "#n < :cap"; // false as well when there is no count yet
            values.put(":cap", AttributeValue.fromN(Integer.toString(maxWebhooks)));
        } else {
            condition = "attribute_exists(#n)";
        }
        TransactWriteItem count = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(countKey(tenant))
                .updateExpression("ADD #n :delta")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#n", COUNT))
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
        for (int tries = 1; ; tries++) {
            try {
                // A token per call: the SDK's own retries of this call are then idempotent (a retry
                // of a transaction that did succeed neither fails its condition nor counts twice).
                String token = UUID.randomUUID().toString();
                dynamo.transactWriteItems(b -> b.transactItems(change, count).clientRequestToken(token));
                return true;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.size() != 2) {
                    throw e;
                }
                if (failedCondition(reasons.get(0))) {
                    return false;
                }
                CancellationReason onCount = reasons.get(1);
                boolean noCount = failedCondition(onCount);
                if (noCount && onCount.hasItem() && onCount.item().containsKey(COUNT)) {
                    throw new WebhookLimitReachedException(maxWebhooks);
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (tries >= MAX_TRIES || !(noCount || conflict)) {
                    throw e;
                }
                if (noCount) {
                    startCount(tenant);
                } else {
                    backOff(tries);
                }
            }
        }
    }

    private static boolean failedCondition(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    /** Full jitter, doubling: concurrent creates of one tenant spread out instead of colliding again. */
    private static void backOff(int tries) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(BACKOFF_MS << tries));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a webhook", e);
        }
    }

    /**
     * The tenant's count, from its webhooks as stored, if it has none yet. Exact: while it is
     * missing no create or delete succeeds (each needs it), so the webhooks counted cannot change.
     */
    private void startCount(String tenant) {
        long existing = 0;
        QueryRequest counting = WebhookItems.query(table, tenant, null).select(Select.COUNT).consistentRead(true).build();
        for (QueryResponse page : dynamo.queryPaginator(counting)) {
            existing += page.count();
        }
        Map<String, AttributeValue> item = new HashMap<>(countKey(tenant));
        item.put(COUNT, AttributeValue.fromN(Long.toString(existing)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + PK + ")"));
        } catch (ConditionalCheckFailedException e) {
            // a concurrent writer started it first, from the same webhooks
        }
    }

    private static Map<String, AttributeValue> countKey(String tenant) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                SK, AttributeValue.fromS(TableLayout.WEBHOOK_COUNT_SORT_KEY));
    }
}
