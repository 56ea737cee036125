package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.TestModeStore;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The test-mode flag and the log's clear mark under {@code T#tenant / TESTMODE}. Both are
 * updated in place, never put, so a switch keeps the mark and a clear keeps the switch.
 */
public final class DynamoDbTestModeStore implements TestModeStore {

    private static final String LOG_CLEARED_AT = "logClearedAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbTestModeStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public TestMode get(String tenant) {
        return fromItem(dynamo.getItem(b -> b.tableName(table).key(key(tenant)).consistentRead(true)).item());
    }

    @Override
    public TestMode set(String tenant, boolean enabled, Instant now) {
        return fromItem(dynamo.updateItem(b -> b.tableName(table).key(key(tenant))
                .updateExpression("SET enabled = :enabled, updatedAt = :now")
                .expressionAttributeValues(Map.of(":enabled", AttributeValue.fromBool(enabled),
                        ":now", AttributeValue.fromS(now.toString())))
                .returnValues(ReturnValue.ALL_NEW)).attributes());
    }

    @Override
    public void clearLog(String tenant, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant))
                    .updateExpression("SET #cleared = :at")
                    .conditionExpression("attribute_not_exists(#cleared) OR #cleared < :at")
                    .expressionAttributeNames(Map.of("#cleared", LOG_CLEARED_AT))
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(Long.toString(at.toEpochMilli())))));
        } catch (ConditionalCheckFailedException e) {
            // a clear of a later moment got there first: it hides all this one would
        }
    }

    private static TestMode fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return TestMode.OFF;
        }
        return new TestMode(item.containsKey("enabled") && item.get("enabled").bool(),
                item.containsKey("updatedAt") ? Instant.parse(item.get("updatedAt").s()) : null,
                item.containsKey(LOG_CLEARED_AT) ? Instant.ofEpochMilli(Long.parseLong(item.get(LOG_CLEARED_AT).n())) : null);
    }

    private static Map<String, AttributeValue> key(String tenant) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                SK, AttributeValue.fromS(TableLayout.TEST_MODE_SORT_KEY));
    }
}
