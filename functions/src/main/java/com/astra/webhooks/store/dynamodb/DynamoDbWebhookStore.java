package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.store.WebhookStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Webhooks in the one table, under {@code T#tenant / WH#id} (see {@link TableLayout}). */
public final class DynamoDbWebhookStore implements WebhookStore {

    private static final String LIST = "webhooks";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbWebhookStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(Webhook webhook) {
        dynamo.putItem(b -> b.tableName(table).item(toItem(webhook))
                .conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<Webhook> get(String tenant, String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, id)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(tenant, item));
    }

    @Override
    public Optional<Webhook> update(String tenant, String id, WebhookChanges changes, Instant updatedAt) {
        FieldUpdate update = new FieldUpdate();
        if (changes.url() != null) {
            update.set("url", AttributeValue.fromS(changes.url()));
        }
        if (changes.events() != null) {
            update.set("events", events(changes.events()));
        }
        if (changes.clearDescription()) {
            update.remove("description");
        } else if (changes.description() != null) {
            update.set("description", AttributeValue.fromS(changes.description()));
        }
        if (changes.enabled() != null) {
            update.set("enabled", AttributeValue.fromBool(changes.enabled()));
            update.remove("disabledReason"); // the tenant decided; the service's reason no longer applies
        }
        update.set("updatedAt", AttributeValue.fromS(updatedAt.toString()));
        return write(tenant, id, update);
    }

    @Override
    public boolean disable(String tenant, String id, String reason, Instant updatedAt) {
        FieldUpdate update = new FieldUpdate();
        update.set("enabled", AttributeValue.fromBool(false));
        update.set("disabledReason", AttributeValue.fromS(reason));
        update.set("updatedAt", AttributeValue.fromS(updatedAt.toString()));
        return write(tenant, id, update).isPresent();
    }

    /** One UpdateItem on the named fields only, if the item exists; the item as stored afterwards. */
    private Optional<Webhook> write(String tenant, String id, FieldUpdate update) {
        try {
            var response = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, id))
                    .updateExpression(update.expression())
                    .conditionExpression("attribute_exists(" + PK + ")")
                    .expressionAttributeNames(update.names)
                    .expressionAttributeValues(update.values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(fromItem(tenant, response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** SET and REMOVE clauses over attribute-name placeholders (url and events are reserved words). */
    private static final class FieldUpdate {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();
        private final List<String> set = new ArrayList<>();
        private final List<String> remove = new ArrayList<>();

        void set(String field, AttributeValue value) {
            names.put("#" + field, field);
            values.put(":" + field, value);
            set.add("#" + field + " = :" + field);
        }

        void remove(String field) {
            names.put("#" + field, field);
            remove.add("#" + field);
        }

        String expression() {
            return "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        }
    }

    @Override
    public boolean delete(String tenant, String id) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(tenant, id)).returnValues(ReturnValue.ALL_OLD));
        return old.hasAttributes() && !old.attributes().isEmpty();
    }

    @Override
    public Page<Webhook> list(String tenant, int limit, String cursor) {
        String pk = TableLayout.tenantKey(tenant);
        Map<String, AttributeValue> start = CursorCodec.decode(cursor, tenant, LIST, Set.of(PK, SK), PK, pk);
        if (start != null && !start.get(SK).s().startsWith(TableLayout.WEBHOOK_PREFIX)) {
            // DynamoDB refuses a start key outside the query's sort key condition.
            throw new InvalidCursorException("cursor does not belong to this list");
        }
        QueryResponse response = dynamo.query(query(pk, start).limit(limit + 1).build());
        List<Map<String, AttributeValue>> items = response.items();
        List<Webhook> page = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, items.size()); i++) {
            page.add(fromItem(tenant, items.get(i)));
        }
        String next = null;
        if (items.size() > limit) {
            Map<String, AttributeValue> last = items.get(limit - 1);
            next = CursorCodec.encode(tenant, LIST, Map.of(PK, last.get(PK), SK, last.get(SK)));
        }
        return new Page<>(page, next);
    }

    @Override
    public List<Webhook> listAll(String tenant) {
        List<Webhook> all = new ArrayList<>();
        for (QueryResponse page : dynamo.queryPaginator(query(TableLayout.tenantKey(tenant), null).consistentRead(true).build())) {
            page.items().forEach(item -> all.add(fromItem(tenant, item)));
        }
        return all;
    }

    private QueryRequest.Builder query(String pk, Map<String, AttributeValue> start) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                        ":prefix", AttributeValue.fromS(TableLayout.WEBHOOK_PREFIX)))
                .scanIndexForward(false)
                .exclusiveStartKey(start);
    }

    private static Map<String, AttributeValue> key(String tenant, String id) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                SK, AttributeValue.fromS(TableLayout.webhookSortKey(id)));
    }

    private static Map<String, AttributeValue> toItem(Webhook w) {
        Map<String, AttributeValue> item = new HashMap<>(key(w.tenant(), w.id()));
        item.put("id", AttributeValue.fromS(w.id()));
        item.put("url", AttributeValue.fromS(w.url()));
        item.put("events", events(w.events()));
        if (w.description() != null) {
            item.put("description", AttributeValue.fromS(w.description()));
        }
        item.put("enabled", AttributeValue.fromBool(w.enabled()));
        item.put("createdAt", AttributeValue.fromS(w.createdAt().toString()));
        item.put("updatedAt", AttributeValue.fromS(w.updatedAt().toString()));
        item.put("secret", AttributeValue.fromS(w.secret()));
        if (w.disabledReason() != null) {
            item.put("disabledReason", AttributeValue.fromS(w.disabledReason()));
        }
        return item;
    }

    private static AttributeValue events(List<String> events) {
        return AttributeValue.fromL(events.stream().map(AttributeValue::fromS).toList());
    }

    private static Webhook fromItem(String tenant, Map<String, AttributeValue> item) {
        AttributeValue description = item.get("description");
        AttributeValue disabledReason = item.get("disabledReason");
        return new Webhook(
                item.get("id").s(),
                tenant,
                item.get("url").s(),
                item.get("events").l().stream().map(AttributeValue::s).toList(),
                description == null ? null : description.s(),
                item.get("enabled").bool(),
                Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("updatedAt").s()),
                item.get("secret").s(),
                disabledReason == null ? null : disabledReason.s());
    }
}
