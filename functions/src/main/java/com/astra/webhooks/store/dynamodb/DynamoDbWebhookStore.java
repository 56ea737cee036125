package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.store.WebhookLimitReachedException;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Webhooks in the one table, under {@code T#tenant / WH#id} (see {@link TableLayout}).
 * {@code previousSecretExpiresAt} is a number (epoch milliseconds) so that a condition can
 * compare it with now; ISO strings of varying precision do not sort as times.
 *
 * <p>Each tenant's webhooks are counted in {@code T#tenant / WEBHOOK_COUNT}: a create is one
 * transaction of the webhook's put and {@code count + 1} on the condition {@code count < cap}, a
 * delete one of the webhook's delete (if it exists) and {@code count - 1}. So the count is exact
 * however many writers race, and the cap holds. A tenant without a count (one from before it
 * existed, or a new one) gets it from one counting query before its first change: no create or
 * delete succeeds while it is missing, so the number counted cannot move meanwhile.
 */
public final class DynamoDbWebhookStore implements WebhookStore {

    private static final String LIST = "webhooks";
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
    private final Clock clock;
    private final int maxWebhooks;

    public DynamoDbWebhookStore(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, clock, MAX_WEBHOOKS_PER_TENANT);
    }

    /** With another cap than {@link WebhookStore#MAX_WEBHOOKS_PER_TENANT}: tests fill a tenant up quickly. */
    DynamoDbWebhookStore(DynamoDbClient dynamo, String table, Clock clock, int maxWebhooks) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.maxWebhooks = maxWebhooks;
    }

    @Override
    public void create(Webhook webhook) {
        Put put = Put.builder().tableName(table).item(toItem(webhook))
                .conditionExpression("attribute_not_exists(" + PK + ")").build();
        if (!counted(webhook.tenant(), TransactWriteItem.builder().put(put).build(), 1)) {
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

    /** SET and REMOVE clauses over attribute-name placeholders (url and events are reserved words). */
    static final class FieldUpdate {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();
        private final List<String> set = new ArrayList<>();
        private final List<String> remove = new ArrayList<>();

        void set(String field, AttributeValue value) {
            names.put("#" + field, field);
            values.put(":" + field, value);
            set.add("#" + field + " = :" + field);
        }

        /** Sets the field only where the item has none yet. */
        void setIfAbsent(String field, AttributeValue value) {
            names.put("#" + field, field);
            values.put(":" + field, value);
            set.add("#" + field + " = if_not_exists(#" + field + ", :" + field + ")");
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
        Delete delete = Delete.builder().tableName(table).key(key(tenant, id))
                .conditionExpression("attribute_exists(" + PK + ")").build();
        return counted(tenant, TransactWriteItem.builder().delete(delete).build(), -1);
    }

    /**
     * Writes {@code change} (of one webhook item, on a condition) and adds {@code delta} to the
     * tenant's count, in one transaction. False when the change's own condition failed (nothing
     * written); a transaction that lost to a concurrent one is tried again, a few times.
     *
     * @throws WebhookLimitReachedException when {@code delta} would take the count past the cap
     */
    private boolean counted(String tenant, TransactWriteItem change, int delta) {
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
        QueryRequest counting = query(TableLayout.tenantKey(tenant), null).select(Select.COUNT).consistentRead(true).build();
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
        QueryResponse response = dynamo.query(query(pk, start).limit(limit + 1).build());
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
        for (QueryResponse page : dynamo.queryPaginator(query(TableLayout.tenantKey(tenant), null).consistentRead(true).build())) {
            page.items().forEach(item -> all.add(read(tenant, item)));
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

    private static Map<String, AttributeValue> countKey(String tenant) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                SK, AttributeValue.fromS(TableLayout.WEBHOOK_COUNT_SORT_KEY));
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
        if (!w.headers().isEmpty()) {
            item.put("headers", headers(w.headers()));
        }
        if (w.rateLimit() != null) {
            item.put("rateLimit", AttributeValue.fromN(w.rateLimit().toString()));
        }
        if (w.filter() != null) {
            item.put("filter", AttributeValue.fromS(w.filter().text()));
        }
        if (w.retrySchedule() != null) {
            item.put("retrySchedule", AttributeValue.fromS(w.retrySchedule().toString()));
        }
        if (w.previousSecret() != null) {
            item.put("previousSecret", AttributeValue.fromS(w.previousSecret()));
            item.put("previousSecretExpiresAt", epochMillis(w.previousSecretExpiresAt()));
        }
        SigningAttributes.put(w.signing(), w.createdAt(), item);
        return item;
    }

    private static AttributeValue headers(Map<String, String> headers) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        headers.forEach((name, value) -> map.put(name, AttributeValue.fromS(value)));
        return AttributeValue.fromM(map);
    }

    private static AttributeValue epochMillis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }

    private static AttributeValue events(List<String> events) {
        return AttributeValue.fromL(events.stream().map(AttributeValue::fromS).toList());
    }

    private static Webhook fromItem(String tenant, Map<String, AttributeValue> item) {
        AttributeValue description = item.get("description");
        AttributeValue disabledReason = item.get("disabledReason");
        Map<String, String> headers = new LinkedHashMap<>();
        if (item.get("headers") != null) {
            item.get("headers").m().forEach((name, value) -> headers.put(name, value.s()));
        }
        AttributeValue rateLimit = item.get("rateLimit");
        AttributeValue previousSecret = item.get("previousSecret");
        AttributeValue previousExpiresAt = item.get("previousSecretExpiresAt");
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
                disabledReason == null ? null : disabledReason.s(),
                headers,
                rateLimit == null ? null : Integer.valueOf(rateLimit.n()),
                previousSecret == null ? null : previousSecret.s(),
                previousExpiresAt == null ? null : Instant.ofEpochMilli(Long.parseLong(previousExpiresAt.n())),
                item.get("failingSince") == null ? null : Instant.ofEpochMilli(Long.parseLong(item.get("failingSince").n())),
                SigningAttributes.read(item),
                item.get("filter") == null ? null : EventFilter.fromText(item.get("filter").s()),
                item.get("retrySchedule") == null ? null : RetrySchedule.parse(item.get("retrySchedule").s()),

                item.get("slowSince") == null ? null : Instant.ofEpochMilli(Long.parseLong(item.get("slowSince").n())));
    }
}
