package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.TestModeStore;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The test-mode flag under {@code T#tenant / TESTMODE}. */
public final class DynamoDbTestModeStore implements TestModeStore {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbTestModeStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public TestMode get(String tenant) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(tenant)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return TestMode.OFF;
        }
        return new TestMode(item.get("enabled").bool(), Instant.parse(item.get("updatedAt").s()));
    }

    @Override
    public TestMode set(String tenant, boolean enabled, Instant now) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                PK, key(tenant).get(PK), SK, key(tenant).get(SK),
                "enabled", AttributeValue.fromBool(enabled),
                "updatedAt", AttributeValue.fromS(now.toString()))));
        return new TestMode(enabled, now);
    }

    private static Map<String, AttributeValue> key(String tenant) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                SK, AttributeValue.fromS(TableLayout.TEST_MODE_SORT_KEY));
    }
}
