package com.astra.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.astra.webhooks.store.DispatchStore.ClearPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A batch of a clear's deletes that DynamoDB keeps leaving unprocessed (throttling) past the
 * retry cap ends the chunk just before that batch, so the next chunk deletes it: none is lost.
 * Over a stub client, since no emulator leaves items unprocessed on demand.
 */
class ClearUnprocessedDeletesTest {

    private static final String TENANT = "t-1";
    private static final String WEBHOOK = "wh_a";

    /** The webhook's intercepted entries still in the table, in id order. */
    private final TreeSet<String> entries = new TreeSet<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private boolean throttled;
    /** Rounds in which the second batch is left unprocessed, when not throttled for good. */
    private int unprocessedRounds;

    private final DynamoDbClient dynamo = new DynamoDbClient() {
        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}

        @Override
        public QueryResponse query(QueryRequest q) {
            if (q.indexName() == null) { // the tenant's webhooks
                return QueryResponse.builder().items(List.of(Map.of(TableLayout.SK,
                        AttributeValue.fromS(TableLayout.WEBHOOK_PREFIX + WEBHOOK)))).build();
            }
            String after = q.hasExclusiveStartKey() ? q.exclusiveStartKey().get(TableLayout.SK).s() : "";
            List<Map<String, AttributeValue>> items = entries.tailSet(after, false).stream().limit(q.limit())
                    .map(id -> Map.of(TableLayout.PK, AttributeValue.fromS(TableLayout.dispatchesKey(TENANT, WEBHOOK)),
                            TableLayout.SK, AttributeValue.fromS(id)))
                    .toList();
            QueryResponse.Builder r = QueryResponse.builder().items(items).count(items.size());
            if (items.size() == q.limit()) {
                r.lastEvaluatedKey(items.get(items.size() - 1));
            }
            return r.build();
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            List<WriteRequest> writes = request.requestItems().values().iterator().next();
            batchSizes.add(writes.size());
            if (throttled && batchSizes.size() > 1 || batchSizes.size() > 1 && batchSizes.size() <= 1 + unprocessedRounds) {
                return BatchWriteItemResponse.builder().unprocessedItems(request.requestItems()).build();
            }
            writes.forEach(w -> entries.remove(w.deleteRequest().key().get(TableLayout.SK).s()));
            return BatchWriteItemResponse.builder().build();
        }
    };

    private final DynamoDbDispatchStore store = new DynamoDbDispatchStore(dynamo, "astra", Duration.ofDays(1));

    @Test
    void aBatchStillUnprocessedAfterTheRetryCapIsLeftForTheNextChunk() {
        IntStream.range(0, 60).forEach(i -> entries.add(String.format("dispatch_%03d", i)));
        throttled = true;

        ClearPosition stopped = store.deleteIntercepted(TENANT, Instant.now(), ClearPosition.START, 100, 10);

        assertEquals(new ClearPosition(WEBHOOK, "dispatch_024"), stopped, "resumes after the last batch that went through");
        assertEquals(1 + BatchReads.MAX_ROUNDS, batchSizes.size(), "the second batch was retried up to the cap");
        assertEquals(35, entries.size());
        assertEquals("dispatch_025", entries.first());

        throttled = false;
        assertNull(store.deleteIntercepted(TENANT, Instant.now(), stopped, 100, 10));
        assertEquals(List.of(), List.copyOf(entries), "the next chunk deleted what the throttled one could not");
    }

    @Test
    void aBatchThatGoesThroughOnlyAfterRetriesEndsTheChunkAfterIt() {
        IntStream.range(0, 100).forEach(i -> entries.add(String.format("dispatch_%03d", i)));
        unprocessedRounds = 2;

        ClearPosition stopped = store.deleteIntercepted(TENANT, Instant.now(), ClearPosition.START, 100, 10);

        assertEquals(new ClearPosition(WEBHOOK, "dispatch_049"), stopped, "the throttled batch went through; the rest waits");
        assertEquals(List.of(25, 25, 25, 25), batchSizes);
        assertEquals(50, entries.size());
    }
}
