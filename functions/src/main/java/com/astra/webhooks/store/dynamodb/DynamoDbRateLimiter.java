package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.PK;
import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import com.astra.webhooks.store.RateLimiter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Send slots kept in DynamoDB, one conditional {@code UpdateItem} (one write unit) per
 * reservation. The item holds {@code next}, the start of the next free slot in microseconds.
 *
 * <p>Two forms of the update, because an update expression has no {@code max()}:
 * <ul>
 *   <li>busy ({@code next} is still ahead of now): {@code SET next = next + interval}, condition
 *       {@code next >= now}: the slot is the old {@code next};</li>
 *   <li>idle ({@code next} has fallen behind now, or no item yet): {@code SET next = now +
 *       interval}, condition {@code next < now}: the slot is now. Without this form an idle
 *       webhook would bank unused slots and spend them in a burst.</li>
 * </ul>
 * Each container remembers the last {@code next} it saw per webhook and tries the form that
 * fits it; a wrong guess fails its condition, returns the stored {@code next}
 * ({@code ALL_OLD}), and the other form follows. That extra write happens only when another
 * container moved the webhook between busy and idle, and the benchmark reports how often.
 *
 * <p>One item absorbs about 1,000 writes a second (DynamoDB's per-partition limit), so a limit
 * above {@link #PER_SHARD} a second is spread over {@code ceil(limit / PER_SHARD)} items, each
 * pacing its share; a reservation picks one at random.
 */
public final class DynamoDbRateLimiter implements RateLimiter {

    static final int PER_SHARD = 500;
    private static final long MICROS = 1_000_000L;
    private static final long TTL_SECONDS = 3600;
    /**
     * The token of the reservation that last moved {@code next}. The busy form would otherwise
     * apply twice when its answer is lost and the SDK retries (two slots for one send); with it
     * that retry fails its condition and finds its own token.
     */
    static final String WRITER = "w";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<String, Long> lastSeenNext = new ConcurrentHashMap<>();

    public DynamoDbRateLimiter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Instant reserve(String tenant, String webhookId, int limitPerSecond, Instant now) {
        if (limitPerSecond < 1) {
            throw new IllegalArgumentException("limit must be at least 1 per second");
        }
        int shards = (limitPerSecond + PER_SHARD - 1) / PER_SHARD;
        int shard = shards == 1 ? 0 : ThreadLocalRandom.current().nextInt(shards);
        long interval = Math.max(1, shards * MICROS / limitPerSecond);
        Map<String, AttributeValue> key = Map.of(
                PK, AttributeValue.fromS(TableLayout.rateLimitKey(tenant, webhookId)),
                SK, AttributeValue.fromS(TableLayout.rateLimitSortKey(shard)));
        String cacheKey = tenant + "#" + webhookId + "#" + shard;
        long nowMicros = now.getEpochSecond() * MICROS + now.getNano() / 1000;
        Long seen = lastSeenNext.get(cacheKey);
        boolean busy = seen != null && seen >= nowMicros;
        String writer = WriterToken.next();
        for (int tries = 0; ; tries++) {
            try {
                long slot;
                if (busy) {
                    Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(key)
                            .updateExpression("SET #n = #n + :i, #x = :x, #w = :w")
                            .conditionExpression("#n >= :now AND (attribute_not_exists(#w) OR #w <> :w)")
                            .expressionAttributeNames(Map.of("#n", "next", "#x", TableLayout.EXPIRES_AT, "#w", WRITER))
                            .expressionAttributeValues(Map.of(":i", n(interval), ":now", n(nowMicros), ":x", expiry(now),
                                    ":w", AttributeValue.fromS(writer)))
                            .returnValues(ReturnValue.UPDATED_NEW)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                            .attributes();
                    long next = Long.parseLong(after.get("next").n());
                    lastSeenNext.put(cacheKey, next);
                    slot = next - interval;
                } else {
                    dynamo.updateItem(b -> b.tableName(table).key(key)
                            .updateExpression("SET #n = :start, #x = :x, #w = :w")
                            .conditionExpression("attribute_not_exists(#n) OR #n < :now")
                            .expressionAttributeNames(Map.of("#n", "next", "#x", TableLayout.EXPIRES_AT, "#w", WRITER))
                            .expressionAttributeValues(Map.of(":start", n(nowMicros + interval), ":now", n(nowMicros), ":x", expiry(now),
                                    ":w", AttributeValue.fromS(writer)))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                    lastSeenNext.put(cacheKey, nowMicros + interval);
                    slot = nowMicros;
                }
                return Instant.ofEpochSecond(slot / MICROS, (slot % MICROS) * 1000);
            } catch (ConditionalCheckFailedException e) {
                if (e.hasItem() && e.item().containsKey(WRITER) && writer.equals(e.item().get(WRITER).s())) {
                    // This call's own earlier try was applied and its answer lost: the slot it
                    // took is the one before the stored next, and taking another would waste it.
                    long next = Long.parseLong(e.item().get("next").n());
                    lastSeenNext.put(cacheKey, next);
                    long slot = next - interval;
                    return Instant.ofEpochSecond(slot / MICROS, (slot % MICROS) * 1000);
                }
                // Another container switched the webhook between idle and busy: use the other form.
                busy = !busy;
                if (e.hasItem() && e.item().containsKey("next")) {
                    lastSeenNext.put(cacheKey, Long.parseLong(e.item().get("next").n()));
                }
                if (tries >= 10) {
                    throw e;
                }
            }
        }
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** Slots are worthless an hour on; TTL sweeps the items of webhooks no longer sent to. */
    private static AttributeValue expiry(Instant now) {
        return n(now.getEpochSecond() + TTL_SECONDS);
    }
}
