package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.model.Webhook;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A webhook as an item under {@code T#tenant / WH#id} (see {@link TableLayout}).
 * {@code previousSecretExpiresAt} is a number (epoch milliseconds) so that a condition can
 * compare it with now; ISO strings of varying precision do not sort as times.
 */
final class WebhookItems {
    private WebhookItems() {}

    /** The tenant's webhooks, newest id first, from {@code start} (null: the first). */
    static QueryRequest.Builder query(String table, String tenant, Map<String, AttributeValue> start) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                        ":prefix", AttributeValue.fromS(TableLayout.WEBHOOK_PREFIX)))
                .scanIndexForward(false)
                .exclusiveStartKey(start);
    }

    static Map<String, AttributeValue> key(String tenant, String id) {
        return Map.of(PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                SK, AttributeValue.fromS(TableLayout.webhookSortKey(id)));
    }

    static Map<String, AttributeValue> toItem(Webhook w) {
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

    static AttributeValue headers(Map<String, String> headers) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        headers.forEach((name, value) -> map.put(name, AttributeValue.fromS(value)));
        return AttributeValue.fromM(map);
    }

    static AttributeValue epochMillis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }

    static AttributeValue events(List<String> events) {
        return AttributeValue.fromL(events.stream().map(AttributeValue::fromS).toList());
    }

    static Webhook fromItem(String tenant, Map<String, AttributeValue> item) {
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
