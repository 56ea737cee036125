package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Event payloads under {@code E#tenant#eventId / EVENT}, with {@code seen} (epoch ms when a worker
 * first took the event up) and {@code w} (a token of the call that wrote it); payloads of 256 bytes
 * or more are stored gzip-compressed.
 */
public final class DynamoDbEventStore implements EventStore {

    /** Who wrote the item: tells a write of this call from another worker's when the answer was lost. */
    static final String WRITER = "w";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbEventStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Stored putIfAbsent(String tenant, String eventId, String eventType, String payload, Instant now,
            Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, eventId));
        item.put("eventType", AttributeValue.fromS(eventType));
        CompressedText.put(item, "payload", payload);
        item.put("seen", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        item.put(TableLayout.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        String writer = WriterToken.next();
        item.put(WRITER, AttributeValue.fromS(writer));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Stored(payload, now, true);
        } catch (ConditionalCheckFailedException e) {
            // Seen before: the first payload stays the one that is signed and sent. The failed
            // write returns the item it found, so no second (consistent) read is needed.
            var stored = e.hasItem() && !e.item().isEmpty() ? e.item() : read(tenant, eventId);
            if (stored == null) {
                return new Stored(payload, now, false); // expired between the two calls: as good as new
            }
            if (stored.containsKey(WRITER) && writer.equals(stored.get(WRITER).s())) {
                // This call's own earlier try, applied with its answer lost: the event is new to
                // us, not another worker's, so it goes out now rather than after a lease.
                return new Stored(payload, now, true);
            }
            Instant seen = stored.containsKey("seen") ? Instant.ofEpochMilli(Long.parseLong(stored.get("seen").n())) : now;
            String first = CompressedText.get(stored, "payload");
            return new Stored(first == null ? payload : first, seen, false);
        }
    }

    private Map<String, AttributeValue> read(String tenant, String eventId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, eventId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    @Override
    public Optional<String> payload(String tenant, String eventId) {
        var item = read(tenant, eventId);
        return item == null ? Optional.empty() : Optional.ofNullable(CompressedText.get(item, "payload"));
    }

    @Override
    public Map<String, String> payloads(String tenant, Collection<String> eventIds) {
        Map<String, String> found = new HashMap<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(eventIds));
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> key(tenant, id)).toList();
            for (Map<String, AttributeValue> item : BatchReads.getAll(dynamo, table,
                    KeysAndAttributes.builder().keys(keys).projectionExpression("pk, payload, payloadGz").build())) {
                String pk = item.get(PK).s();
                String payload = CompressedText.get(item, "payload");
                if (payload != null) {
                    found.put(pk.substring(pk.lastIndexOf('#') + 1), payload);
                }
            }
        }
        return found;
    }

    static Map<String, AttributeValue> key(String tenant, String eventId) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.eventKey(tenant, eventId)),
                SK, AttributeValue.fromS(TableLayout.EVENT_SORT_KEY));
    }
}
