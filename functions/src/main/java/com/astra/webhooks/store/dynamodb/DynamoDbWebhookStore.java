package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;
import static com.astra.webhooks.store.dynamodb.WebhookItems.*;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
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
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Webhooks in the one table (items: {@link WebhookItems}). A create or delete also changes the
 * tenant's count in the same transaction ({@link WebhookCount}); every other change is one
 * conditional UpdateItem of the fields it names.
 */
public final class DynamoDbWebhookStore implements WebhookStore {

    private static final String LIST = "webhooks";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final WebhookCount count;

    public DynamoDbWebhookStore(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, clock, MAX_WEBHOOKS_PER_TENANT);
    }

    /** With another cap than {@link WebhookStore#MAX_WEBHOOKS_PER_TENANT}: tests fill a tenant up quickly. */
    DynamoDbWebhookStore(DynamoDbClient dynamo, String table, Clock clock, int maxWebhooks) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.count = new WebhookCount(dynamo, table, maxWebhooks);
    }

    @Override
    public void create(Webhook webhook) {
        Put put = Put.builder().tableName(table).item(toItem(webhook))
                .conditionExpression("attribute_not_exists(" + PK + ")").build();
        if (!count.change(webhook.tenant(), TransactWriteItem.builder().put(put).build(), 1)) {
            throw ConditionalCheckFailedException.builder().message("webhook " + webhook.id() + " already exists").build();
        }
    }

    @Override
    public Optional<Webhook> get(String tenant, String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, id)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(tenant, item));
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
        if (changes.headers() != null) {
            if (changes.headers().isEmpty()) {
                update.remove("headers");
            } else {
                update.set("headers", headers(changes.headers()));
            }
        }
        if (changes.clearRateLimit()) {
            update.remove("rateLimit");
        } else if (changes.rateLimit() != null) {
            update.set("rateLimit", AttributeValue.fromN(changes.rateLimit().toString()));
        }
        if (changes.signing() != null) {
            SigningAttributes.change(changes.signing(), changes.signingKey(), updatedAt, update);
        }
        if (changes.clearFilter()) {
            update.remove("filter");
        } else if (changes.filter() != null) {
            update.set("filter", AttributeValue.fromS(changes.filter().text()));
        }
        if (changes.clearRetrySchedule()) {
            update.remove("retrySchedule");
        } else if (changes.retrySchedule() != null) {
            update.set("retrySchedule", AttributeValue.fromS(changes.retrySchedule().toString()));
        }
        // Never the secrets: a PUT racing a rotation must not put an old secret back.
        update.set("updatedAt", AttributeValue.fromS(updatedAt.toString()));
        return write(tenant, id, update);
    }

    @Override
    public boolean disable(String tenant, String id, String reason, Instant updatedAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, id))
                    .updateExpression("SET enabled = :false, disabledReason = :reason, updatedAt = :at REMOVE failingSince, finalFailures")
                    .conditionExpression("attribute_exists(" + PK + ") AND enabled = :true")
                    .expressionAttributeValues(Map.of(":false", AttributeValue.fromBool(false),
                            ":true", AttributeValue.fromBool(true), ":reason", AttributeValue.fromS(reason),
                            ":at", AttributeValue.fromS(updatedAt.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<FailingRun> markFailing(String tenant, String id, Instant at) {
        try {
            var response = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, id))
                    .updateExpression("SET failingSince = if_not_exists(failingSince, :at) ADD finalFailures :one")
                    .conditionExpression("attribute_exists(" + PK + ")")
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(Long.toString(at.toEpochMilli())),
                            ":one", AttributeValue.fromN("1")))
                    .returnValues(ReturnValue.UPDATED_NEW));
            Map<String, AttributeValue> run = response.attributes();
            return Optional.of(new FailingRun(Instant.ofEpochMilli(Long.parseLong(run.get("failingSince").n())),
                    Integer.parseInt(run.get("finalFailures").n())));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public void clearFailing(String tenant, String id) {
        removeMark(tenant, id, "failingSince", "failingSince, finalFailures");
    }

    /** Removes {@code attributes} if the item carries {@code mark}: otherwise already cleared, or the webhook is gone. */
    private void removeMark(String tenant, String id, String mark, String attributes) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, id))
                    .updateExpression("REMOVE " + attributes)
                    .conditionExpression("attribute_exists(" + mark + ")"));
        } catch (ConditionalCheckFailedException e) {
            // nothing to clear
        }
    }

    @Override
    public void markSlow(String tenant, String id, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, id))
                    .updateExpression("SET slowSince = :at")
                    .conditionExpression("attribute_exists(" + PK + ") AND attribute_not_exists(slowSince)")
                    .expressionAttributeValues(Map.of(":at", epochMillis(at))));
        } catch (ConditionalCheckFailedException e) {
            // already marked (by another worker), or the webhook is gone
        }
    }

    @Override
    public void clearSlow(String tenant, String id) {
        removeMark(tenant, id, "slowSince", "slowSince");
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

    @Override
    public boolean delete(String tenant, String id) {
        Delete delete = Delete.builder().tableName(table).key(key(tenant, id))
                .conditionExpression("attribute_exists(" + PK + ")").build();
        return count.change(tenant, TransactWriteItem.builder().delete(delete).build(), -1);
    }

    @Override
    public boolean rotateSecret(Webhook current, String secret, Ed25519KeyPair key, Instant previousExpiresAt,
            Instant updatedAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":secret", AttributeValue.fromS(secret));
        values.put(":now", AttributeValue.fromS(updatedAt.toString()));
        String signing = SigningAttributes.rotation(key, previousExpiresAt != null, values);
        String expression;
        if (previousExpiresAt == null) {
            expression = "SET secret = :secret, updatedAt = :now" + signing + " REMOVE previousSecret, previousSecretExpiresAt, "
                    + String.join(", ", SigningAttributes.PREVIOUS);
        } else {
            // Every operand of an update expression reads the item as it was: previousSecret gets
            // the secret being replaced, and an older previous secret is overwritten, not kept.
            expression = "SET secret = :secret, previousSecret = secret, previousSecretExpiresAt = :expires, updatedAt = :now"
                    + signing;
            values.put(":expires", epochMillis(previousExpiresAt));
            values.put(":created", AttributeValue.fromS(current.createdAt().toString()));
        }
        // A key pair added or dropped by a PUT since the read would make this rotation's key wrong.
        String condition = "attribute_exists(pk) AND " + (key == null ? "attribute_not_exists(" : "attribute_exists(")
                + SigningAttributes.KEY + ")";
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(current.tenant(), current.id()))
                    .updateExpression(expression)
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean erasePreviousSecret(String tenant, String id, Instant now) {
        try {
            // The condition keeps a secret that a rotation made previous after we looked.
            dynamo.updateItem(b -> b.tableName(table).key(key(tenant, id))
                    .updateExpression("REMOVE previousSecret, previousSecretExpiresAt, " + String.join(", ", SigningAttributes.PREVIOUS))
                    .conditionExpression("previousSecretExpiresAt <= :now")
                    .expressionAttributeValues(Map.of(":now", epochMillis(now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The webhook as stored, minus a previous secret whose grace is over, which is erased on the way. */
    private Webhook read(String tenant, Map<String, AttributeValue> item) {
        Webhook webhook = fromItem(tenant, item);
        Instant now = clock.instant();
        if (!webhook.previousSecretExpired(now)) {
            return webhook;
        }
        try {
            erasePreviousSecret(tenant, webhook.id(), now);
        } catch (DynamoDbException e) {
            // The read itself succeeded; the scheduled erase, or the next reader, tries again.
            System.err.println("[webhooks] could not erase the expired previous secret of " + webhook.id() + ": "
                    + e.getClass().getSimpleName());
        }
        return webhook.withoutPreviousSecret();
    }

    @Override
    public Page<Webhook> list(String tenant, int limit, String cursor) {
        String pk = TableLayout.tenantKey(tenant);
        Map<String, AttributeValue> start = CursorCodec.decode(cursor, tenant, LIST, Set.of(PK, SK), PK, pk);
        if (start != null && !start.get(SK).s().startsWith(TableLayout.WEBHOOK_PREFIX)) {
            // DynamoDB refuses a start key outside the query's sort key condition.
            throw new InvalidCursorException("cursor does not belong to this list");
        }
        QueryResponse response = dynamo.query(WebhookItems.query(table, tenant, start).limit(limit + 1).build());
        List<Map<String, AttributeValue>> items = response.items();
        List<Webhook> page = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, items.size()); i++) {
            page.add(read(tenant, items.get(i)));
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
        for (QueryResponse page : dynamo.queryPaginator(WebhookItems.query(table, tenant, null).consistentRead(true).build())) {
            page.items().forEach(item -> all.add(read(tenant, item)));
        }
        return all;
    }
}
