package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.DeliveryStateStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Delivery state under {@code E#tenant#eventId / WH#webhookId}: {@code st} (state),
 * {@code att} (attempt number) and {@code lease} (epoch ms until which the owner may send).
 */
public final class DynamoDbDeliveryStateStore implements DeliveryStateStore {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbDeliveryStateStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(String tenant, String eventId, String webhookId, int attempt, Instant now, Instant leaseUntil,
            Instant expiresAt) {
        // Who may take attempt n: nobody has touched the pair yet (n = 1); attempt n-1 failed and
        // scheduled this one; or the worker of attempt n (or of n-1, which had scheduled n before
        // dying) vanished and its lease ran out.
        String condition = "(st = :waiting AND att = :prev)"
                + " OR (st = :inflight AND (att = :n OR att = :prev) AND lease < :now)"
                + (attempt == 1 ? " OR attribute_not_exists(pk)" : "");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":waiting", state(State.WAITING));
        values.put(":inflight", state(State.INFLIGHT));
        values.put(":n", number(attempt));
        values.put(":prev", number(attempt - 1));
        values.put(":now", number(now.toEpochMilli()));
        values.put(":lease", number(leaseUntil.toEpochMilli()));
        values.put(":exp", number(expiresAt.getEpochSecond()));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, eventId, webhookId))
                    .updateExpression("SET st = :inflight, att = :n, lease = :lease, expiresAt = :exp")
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            return whyNot(tenant, eventId, webhookId, attempt, now);
        }
    }

    private Claim whyNot(String tenant, String eventId, String webhookId, int attempt, Instant now) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, eventId, webhookId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Claim.BUSY; // a later attempt for a pair nobody started: let SQS bring it back
        }
        boolean inflight = state(State.INFLIGHT).s().equals(item.get("st").s());
        int current = Integer.parseInt(item.get("att").n());
        boolean leaseLive = item.containsKey("lease") && Long.parseLong(item.get("lease").n()) >= now.toEpochMilli();
        if (inflight && leaseLive && (current == attempt || current == attempt - 1)) {
            return Claim.BUSY;
        }
        return Claim.DONE;
    }

    @Override
    public void finish(String tenant, String eventId, String webhookId, int attempt, State finalState) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, eventId, webhookId))
                    .updateExpression("SET st = :st REMOVE lease")
                    .conditionExpression("st = :inflight AND att = :n")
                    .expressionAttributeValues(Map.of(":st", state(finalState), ":inflight", state(State.INFLIGHT),
                            ":n", number(attempt))));
        } catch (ConditionalCheckFailedException e) {
            // Our lease ran out and another worker took the pair over: its outcome stands.
        }
    }

    private static Map<String, AttributeValue> key(String tenant, String eventId, String webhookId) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.eventKey(tenant, eventId)),
                SK, AttributeValue.fromS(TableLayout.webhookSortKey(webhookId)));
    }

    private static AttributeValue state(State s) {
        return AttributeValue.fromS(s.name().toLowerCase(Locale.ROOT));
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
