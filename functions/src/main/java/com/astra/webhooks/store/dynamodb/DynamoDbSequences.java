package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.EXPIRES_AT;
import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.Sequences;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * One counter item per (webhook, key), moved by one conditional {@code UpdateItem} (one write
 * unit): {@code ADD seq 1, SET last = event} unless {@code last} already is this event. A
 * repeat of the newest event fails that condition and reads the number it got from the item
 * returned with the failure ({@code ALL_OLD}), at no extra read. Each (webhook, key) is its own
 * partition, so busy keys never share a partition's write throughput. The item expires with the
 * events (TTL), so a key that is quiet for the retention period starts again at 1.
 */
public final class DynamoDbSequences implements Sequences {

    static final String SEQ = "seq";
    static final String LAST = "last";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbSequences(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String key(String tenant, String webhookId, String orderingKey) {
        return "SEQ#" + tenant + "#" + webhookId + "#" + orderingKey;
    }

    @Override
    public long next(String tenant, String webhookId, String orderingKey, String eventId, Instant expiresAt) {
        Map<String, AttributeValue> item = Map.of(PK, s(key(tenant, webhookId, orderingKey)), SK, s("SEQ"));
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table).key(item)
                    .updateExpression("ADD #seq :one SET #last = :event, #exp = :exp")
                    .conditionExpression("attribute_not_exists(#last) OR #last <> :event")
                    .expressionAttributeNames(Map.of("#seq", SEQ, "#last", LAST, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":one", n(1), ":event", s(eventId),
                            ":exp", n(expiresAt.getEpochSecond())))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Long.parseLong(updated.attributes().get(SEQ).n());
        } catch (ConditionalCheckFailedException e) {
            // this event is the key's newest and already has its number
            return Long.parseLong(e.item().get(SEQ).n());
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
