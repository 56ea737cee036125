package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.ServiceKeys;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Service keys under {@code S#portal-link-key / KEY} (no tenant key starts with {@code S#}).
 * Whoever can read the table can already read every webhook's signing secret, so a key kept
 * here is guarded exactly as those are.
 */
public final class DynamoDbServiceKeys implements ServiceKeys {

    static final Map<String, AttributeValue> PORTAL_LINK_KEY = Map.of(PK, AttributeValue.fromS("S#portal-link-key"),
            SK, AttributeValue.fromS("KEY"));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbServiceKeys(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public String portalLinkKey() {
        String existing = read();
        if (existing != null) {
            return existing;
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Map<String, AttributeValue> item = new java.util.HashMap<>(PORTAL_LINK_KEY);
        item.put("key", AttributeValue.fromS(Base64.getEncoder().encodeToString(key)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (ConditionalCheckFailedException e) {
            // another container made it first: use that one
        }
        String made = read();
        if (made == null) {
            throw new IllegalStateException("portal link key missing right after it was written");
        }
        return made;
    }

    private String read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(PORTAL_LINK_KEY).consistentRead(true))
                .item();
        return item == null || !item.containsKey("key") ? null : item.get("key").s();
    }
}
