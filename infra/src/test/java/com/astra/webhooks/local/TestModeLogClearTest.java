package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.bench.ConsumedCapacityInterceptor;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.TestLogClear;
import com.astra.webhooks.jobs.TestLogClearChunk;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.queue.SqsQueues;
import com.astra.webhooks.store.DispatchStore.ClearPosition;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import com.astra.webhooks.store.dynamodb.DynamoDbTestModeStore;
import com.astra.webhooks.store.dynamodb.TableLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code DELETE /webhooks/test-mode/log} on a log longer than one request may delete: the entries
 * are gone from every list at once, their items are deleted in bounded chunks (the first in the
 * request, the rest by the dispatcher from queue messages), and nothing else is touched.
 */
@ExtendWith(AstraLocalExtension.class)
class TestModeLogClearTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** One more than a request deletes: the rest must go through the queue. */
    private static final int LONG_LOG = 1_000 + 200;

    private final DynamoDbClient dynamo = AstraLocalExtension.dynamoDb();
    private final String table = AstraLocalExtension.tableName();
    private final DynamoDbDispatchStore store = new DynamoDbDispatchStore(dynamo, table, Duration.ofDays(30));
    private final DynamoDbTestModeStore testModes = new DynamoDbTestModeStore(dynamo, table);
    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void aLogLongerThanOneRequestIsEmptyAtOnceAndItsItemsAreAllDeletedInTheBackground() {
        TenantClient a = new TenantClient();
        TenantClient other = new TenantClient();
        String hook1 = webhook(a, "/a1");
        String hook2 = webhook(a, "/a2");
        String otherHook = webhook(other, "/o");
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        seed(a.tenant, hook1, Dispatch.Outcome.INTERCEPTED, start, 0, LONG_LOG - 300);
        seed(a.tenant, hook2, Dispatch.Outcome.INTERCEPTED, start, LONG_LOG - 300, LONG_LOG);
        seed(a.tenant, hook1, Dispatch.Outcome.FAILED, start, LONG_LOG, LONG_LOG + 5);
        seed(other.tenant, otherHook, Dispatch.Outcome.INTERCEPTED, start, 0, 30);
        assertEquals(LONG_LOG, interceptedItems(a.tenant, hook1) + interceptedItems(a.tenant, hook2));
        assertEquals(200, a.post("/webhooks/test-mode/enable").status());

        long began = System.nanoTime();
        Http.Response cleared = a.delete("/webhooks/test-mode/log");
        // not asserted (no timed tests): the figure the README's chunk size rests on
        System.out.printf("[clear-time] DELETE of %d entries, the request's chunk of 1000: %d ms%n", LONG_LOG,
                (System.nanoTime() - began) / 1_000_000);

        assertEquals(204, cleared.status(), cleared.body());
        assertEquals(List.of(), data(a.get("/webhooks/test-mode/log")), "empty at once");
        assertEquals(List.of(), data(a.get("/webhook-inspector?outcome=intercepted")));
        assertEquals(5, a.all("/webhook-inspector", 100).size(), "only the failed dispatches are left to see");
        assertEquals(true, WebhookApiTest.json(a.get("/webhooks/test-mode")).get("enabled"), "a clear keeps the switch");

        // intercepted after the clear: stays
        String after = a.push("agent_completed", Map.of("n", 1));
        Eventually.await(WAIT, "the new interception", () -> data(a.get("/webhooks/test-mode/log")).size() == 2);
        Set<Object> events = new HashSet<>();
        data(a.get("/webhooks/test-mode/log")).forEach(d -> events.add(d.get("eventId")));
        assertEquals(Set.of(after), events, "one entry per webhook, both of the event pushed after the clear");

        Eventually.await(WAIT, "every item intercepted before the clear deleted",
                () -> interceptedItems(a.tenant, hook1) + interceptedItems(a.tenant, hook2) == 2);
        assertEquals(5, items(a.tenant, hook1, Dispatch.Outcome.FAILED), "other outcomes are not touched");
        assertEquals(30, interceptedItems(other.tenant, otherHook), "another tenant's entries are not touched");
        assertEquals(30, other.all("/webhooks/test-mode/log", 100).size());
        assertEquals(0, receiver.requests("/a1").size() + receiver.requests("/a2").size());
    }

    @Test
    void aClearedLogIsHiddenFromEveryListAndByIdBeforeAnyItemIsDeleted() {
        TenantClient a = new TenantClient();
        String hook = webhook(a, "/h");
        Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
        List<String> before = seed(a.tenant, hook, Dispatch.Outcome.INTERCEPTED, start, 0, 12);
        List<String> failed = seed(a.tenant, hook, Dispatch.Outcome.FAILED, start, 12, 14);
        Instant mark = start.plusSeconds(100);
        List<String> later = seed(a.tenant, hook, Dispatch.Outcome.INTERCEPTED, start, 101, 108);

        testModes.clearLog(a.tenant, mark); // the mark alone: every item is still there

        assertEquals(12 + 7, interceptedItems(a.tenant, hook), "nothing deleted yet");
        List<String> newestFirst = new ArrayList<>(later);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, ids(a.all("/webhooks/test-mode/log", 3)), "paged above the mark, newest first");
        assertEquals(newestFirst, ids(a.all("/webhook-inspector?outcome=intercepted", 2)));
        List<String> all = new ArrayList<>(newestFirst);
        all.add(failed.get(1));
        all.add(failed.get(0));
        assertEquals(all, ids(a.all("/webhook-inspector", 4)), "the unfiltered list drops them as read");
        assertEquals(all, ids(a.all("/webhooks/" + hook + "/deliveries", 4)));
        assertEquals(404, a.get("/webhook-inspector/" + before.get(0)).status());
        assertEquals(200, a.get("/webhook-inspector/" + later.get(0)).status());
        assertEquals(200, a.get("/webhook-inspector/" + failed.get(0)).status(), "only intercepted ones are cleared");
        Map<String, Object> stats = WebhookApiTest.json(a.get("/webhooks/" + hook + "/stats"));
        assertEquals(7, ((Number) stats.get("intercepted")).intValue(), stats.toString());
        assertEquals(2, ((Number) stats.get("failed")).intValue(), stats.toString());

        // an older mark does not undo a newer one
        testModes.clearLog(a.tenant, start);
        assertEquals(newestFirst, ids(a.all("/webhooks/test-mode/log", 50)));
        assertEquals(mark, testModes.get(a.tenant).logClearedAt());
    }

    @Test
    void deletesGoOldestFirstInChunksOfAtMostTheCapAndResumeWhereTheLastStopped() {
        TenantClient a = new TenantClient();
        String hook1 = webhook(a, "/c1");
        String hook2 = webhook(a, "/c2");
        Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
        List<String> first = seed(a.tenant, hook1, Dispatch.Outcome.INTERCEPTED, start, 0, 30);
        seed(a.tenant, hook2, Dispatch.Outcome.INTERCEPTED, start, 30, 50);
        Instant mark = start.plusSeconds(99);
        seed(a.tenant, hook2, Dispatch.Outcome.INTERCEPTED, start, 100, 103); // after the mark

        ClearPosition position = store.deleteIntercepted(a.tenant, mark, ClearPosition.START, 25, 10);
        assertEquals(new ClearPosition(hook1, first.get(24)), position, "25 deleted, the oldest ones");
        assertEquals(5, interceptedItems(a.tenant, hook1));

        position = store.deleteIntercepted(a.tenant, mark, position, 25, 10);
        assertNotNull(position, "the cap was reached exactly: the next call finds out that nothing is left");
        assertEquals(0, interceptedItems(a.tenant, hook1));
        assertEquals(3, interceptedItems(a.tenant, hook2));

        // a query budget bounds a call too
        assertEquals(position, store.deleteIntercepted(a.tenant, mark, position, 25, 0));
        assertNull(store.deleteIntercepted(a.tenant, mark, position, 25, 10));
        assertEquals(3, interceptedItems(a.tenant, hook2), "entries after the mark stay");
    }

    /**
     * Write units of a clear per entry, measured on the TestLogClear the TestModeHandler runs,
     * built in-process against the runner's DynamoDB and queue (the runner's handlers live in
     * their own class loader, out of the interceptor's sight). Prints the README's figure.
     */
    @Test
    void aClearCostsTwoWriteUnitsPerEntryAndOneForTheMark() {
        TenantClient a = new TenantClient();
        String hook = webhook(a, "/cost");
        int entries = 300;
        seed(a.tenant, hook, Dispatch.Outcome.INTERCEPTED, Instant.now().minusSeconds(600), 0, entries);
        TestLogClear clear = new TestLogClear(testModes, store, new SqsQueues(AstraLocalExtension.sqs(),
                AstraLocalExtension.eventsQueueUrl(), AstraLocalExtension.dlqUrl()));

        ConsumedCapacityInterceptor.start();
        clear.start(a.tenant, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Map<String, ConsumedCapacityInterceptor.Tally> calls = ConsumedCapacityInterceptor.stop();

        assertEquals(0, interceptedItems(a.tenant, hook), "within one chunk: all deleted by the request");
        double deletes = calls.get("BatchWriteItem").total.sum();
        double mark = calls.get("UpdateItem").total.sum();
        double reads = calls.get("Query").total.sum();
        System.out.printf("[clear-cost] %d entries: BatchWriteItem %d call(s) %.1f WCU = %.2f WCU/entry (table+gsi1);"
                + " mark UpdateItem %.1f WCU; Query %d call(s) %.1f RCU = %.3f RCU/entry%n",
                entries, calls.get("BatchWriteItem").calls.sum(), deletes, deletes / entries, mark,
                calls.get("Query").calls.sum(), reads, reads / entries);
        assertEquals(2.0 * entries, deletes, 0.001, "one unit on the table and one on gsi1 per entry");
        assertEquals(1.0, mark, 0.001);
    }

    @Test
    void aMalformedClearMessageIsDeadLetteredWithItsReason() {
        String marker = UUID.randomUUID().toString();
        String body = "{\"tenant\":\"t-x\",\"clearedAt\":\"not a time " + marker + "\"}";
        AstraLocalExtension.sqs().sendMessage(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl()).messageBody(body)
                .messageAttributes(SqsQueues.attributes(JobCodec.encode(
                        new TestLogClearChunk("t-x", Instant.EPOCH, ClearPosition.START)))));
        String[] reason = new String[1];
        Eventually.await(WAIT, "the message on the DLQ", () -> {
            for (Message m : AstraLocalExtension.sqs().receiveMessage(r -> r.queueUrl(AstraLocalExtension.dlqUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages()) {
                if (m.body().contains(marker)) {
                    reason[0] = m.messageAttributes().get("reason").stringValue();
                    AstraLocalExtension.sqs().deleteMessage(d -> d.queueUrl(AstraLocalExtension.dlqUrl())
                            .receiptHandle(m.receiptHandle()));
                }
            }
            return reason[0] != null;
        });
        assertTrue(reason[0].contains("test-mode log clear message is malformed"), reason[0]);
    }

    private String webhook(TenantClient t, String path) {
        return (String) t.createWebhook(receiver.url(path), "[\"agent_completed\"]").get("id");
    }

    /** Dispatches {@code from..to-1}, one a second after {@code start}, written by the real store; their ids, oldest first. */
    private List<String> seed(String tenant, String webhookId, Dispatch.Outcome outcome, Instant start, int from, int to) {
        List<String> ids = IntStream.range(from, to).mapToObj(i -> {
            Instant at = start.plusSeconds(i);
            String eventId = "evt_clear" + i;
            String id = Ids.dispatchId(at, tenant, eventId, webhookId, "1");
            store.put(new Dispatch(id, tenant, webhookId, eventId, "agent_completed", "http://127.0.0.1:9/hook", 1,
                    outcome, null, "", 0, outcome == Dispatch.Outcome.FAILED ? "connection refused" : null,
                    Map.of("webhook-id", eventId), null, at, null, Dispatch.Trigger.EVENT));
            return id;
        }).parallel().toList();
        return ids;
    }

    private int interceptedItems(String tenant, String webhookId) {
        return items(tenant, webhookId, Dispatch.Outcome.INTERCEPTED);
    }

    /** The webhook's items of that outcome in its partition, counted with a consistent read. */
    private int items(String tenant, String webhookId, Dispatch.Outcome outcome) {
        int count = 0;
        for (QueryResponse page : dynamo.queryPaginator(q -> q.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .filterExpression("outcome = :outcome")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(TableLayout.dispatchesKey(tenant, webhookId)),
                        ":outcome", AttributeValue.fromS(outcome.wire())))
                .select("COUNT"))) {
            count += page.count();
        }
        return count;
    }

    private static List<String> ids(List<Map<String, Object>> dispatches) {
        return dispatches.stream().map(d -> (String) d.get("id")).toList();
    }
}
