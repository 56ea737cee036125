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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementError;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementErrorCodeEnum;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
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
        return put(tenant, eventId, payload, now, item(tenant, eventId, eventType, payload, now, expiresAt));
    }

    /**
     * One call for the whole batch: a PartiQL {@code INSERT} per event, each failing on its own
     * when the event is known (same write units as {@code PutItem}). Each item carries its own
     * writer token, so an SDK retry of the whole call recognises the inserts its lost answer had
     * applied. An insert DynamoDB did not make (throttled, an internal error), and every event
     * when the call itself fails, is written alone with the same item and token.
     */
    @Override
    public List<Stored> putAllIfAbsent(List<NewEvent> events, Instant now, Instant expiresAt) {
        List<Map<String, AttributeValue>> items = events.stream()
                .map(e -> item(e.tenant(), e.eventId(), e.eventType(), e.payload(), now, expiresAt)).toList();
        List<BatchStatementResponse> answers = null;
        if (events.size() > 1 && events.size() <= MAX_STATEMENTS) {
            try {
                answers = dynamo.batchExecuteStatement(b -> b.statements(items.stream().map(this::insert).toList()))
                        .responses();
            } catch (SdkException e) {
                answers = null; // each event is written alone below, with the same token
            }
        }
        List<Stored> stored = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            BatchStatementResponse answer = answers != null && i < answers.size() ? answers.get(i) : null;
            BatchStatementError error = answer == null ? null : answer.error();
            if (answer != null && error == null) {
                stored.add(new Stored(e.payload(), now, true));
            } else if (error != null && (error.code() == BatchStatementErrorCodeEnum.DUPLICATE_ITEM
                    || error.code() == BatchStatementErrorCodeEnum.CONDITIONAL_CHECK_FAILED)) {
                stored.add(known(e.tenant(), e.eventId(), e.payload(), now, items.get(i),
                        error.hasItem() ? error.item() : null));
            } else {
                stored.add(put(e.tenant(), e.eventId(), e.payload(), now, items.get(i)));
            }
        }
        return stored;
    }

    /** Statements per BatchExecuteStatement call (DynamoDB's limit). */
    private static final int MAX_STATEMENTS = 25;

    private BatchStatementRequest insert(Map<String, AttributeValue> item) {
        List<String> names = new ArrayList<>(item.keySet());
        StringBuilder statement = new StringBuilder("INSERT INTO \"").append(table).append("\" VALUE {");
        List<AttributeValue> values = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            statement.append(i == 0 ? "'" : ", '").append(names.get(i)).append("': ?");
            values.add(item.get(names.get(i)));
        }
        return BatchStatementRequest.builder().statement(statement.append('}').toString()).parameters(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
    }

    private static Map<String, AttributeValue> item(String tenant, String eventId, String eventType, String payload,
            Instant now, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, eventId));
        item.put("eventType", AttributeValue.fromS(eventType));
        CompressedText.put(item, "payload", payload);
        item.put("seen", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        item.put(TableLayout.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        item.put(WRITER, AttributeValue.fromS(WriterToken.next()));
        return item;
    }

    private Stored put(String tenant, String eventId, String payload, Instant now, Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Stored(payload, now, true);
        } catch (ConditionalCheckFailedException e) {
            return known(tenant, eventId, payload, now, item, e.hasItem() ? e.item() : null);
        }
    }

    /**
     * The event was known when {@code item} was written: the item found (given with the failure,
     * else read) decides. Seen before, the first payload stays the one that is signed and sent.
     */
    private Stored known(String tenant, String eventId, String payload, Instant now, Map<String, AttributeValue> item,
            Map<String, AttributeValue> found) {
        var stored = found != null && !found.isEmpty() ? found : read(tenant, eventId);
        if (stored == null) {
            return new Stored(payload, now, false); // expired between the two calls: as good as new
        }
        if (stored.containsKey(WRITER) && item.get(WRITER).s().equals(stored.get(WRITER).s())) {
            // This call's own earlier try, applied with its answer lost: the event is new to
            // us, not another worker's, so it goes out now rather than after a lease.
            return new Stored(payload, now, true);
        }
        Instant seen = stored.containsKey("seen") ? Instant.ofEpochMilli(Long.parseLong(stored.get("seen").n())) : now;
        String first = CompressedText.get(stored, "payload");
        return new Stored(first == null ? payload : first, seen, false);
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
