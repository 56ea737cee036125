package com.astra.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.WebhookLimitReachedException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * How {@link DynamoDbWebhookStore} reads a cancelled create or delete, over a scripted DynamoDB
 * client: a full tenant, a missing count, and transactions that lose to concurrent ones, which
 * dynoxide (one writer at a time) never produces but DynamoDB does. WebhookCapTest (infra) runs
 * the same rule against dynoxide.
 */
class WebhookCountRetriesTest {

    private static final String TENANT = "t-1";

    /** Answers transactWriteItems from a script (null = success), and counting queries with 3. */
    private static final class ScriptedDynamo implements InvocationHandler {
        static final Set<String> SCRIPTED = Set.of("transactWriteItems", "query", "putItem");
        final Deque<TransactionCanceledException> script = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        final List<PutItemRequest> puts = new ArrayList<>();

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object arg = args == null || args.length == 0 ? null : args[0];
            boolean scripted = SCRIPTED.contains(method.getName()) && arg instanceof DynamoDbRequest;
            if (!scripted && method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args); // Consumer<Builder> forms, paginators
            }
            calls.add(method.getName());
            return switch (method.getName()) {
                case "transactWriteItems" -> {
                    TransactionCanceledException next = script.isEmpty() ? null : script.poll();
                    if (next != null) {
                        throw next;
                    }
                    assertEquals(2, ((TransactWriteItemsRequest) arg).transactItems().size());
                    yield TransactWriteItemsResponse.builder().build();
                }
                case "query" -> QueryResponse.builder().count(3).items(List.of()).build();
                case "putItem" -> {
                    puts.add((PutItemRequest) arg);
                    yield PutItemResponse.builder().build();
                }
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }

        DynamoDbWebhookStore store(int cap) {
            DynamoDbClient client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                    new Class<?>[] {DynamoDbClient.class}, this);
            return new DynamoDbWebhookStore(client, "table", Clock.systemUTC(), cap);
        }
    }

    private static TransactionCanceledException cancelled(CancellationReason onWebhook, CancellationReason onCount) {
        return TransactionCanceledException.builder().message("Transaction cancelled")
                .cancellationReasons(onWebhook, onCount).build();
    }

    private static CancellationReason code(String code) {
        return CancellationReason.builder().code(code).build();
    }

    private static CancellationReason countAt(int n) {
        return CancellationReason.builder().code("ConditionalCheckFailed")
                .item(Map.of("webhooks", AttributeValue.fromN(Integer.toString(n)))).build();
    }

    private static Webhook webhook() {
        Instant now = Instant.now();
        return new Webhook("wh_01jd0000000000000000000000", TENANT, "https://example.com/h", List.of("*"), null, true,
                now, now, "whsec_x");
    }

    @Test
    void aFullCountRefusesTheCreateAtOnce() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        dynamo.script.add(cancelled(code("None"), countAt(7)));

        assertThrows(WebhookLimitReachedException.class, () -> dynamo.store(7).create(webhook()));
        assertEquals(List.of("transactWriteItems"), dynamo.calls);
    }

    @Test
    void aMissingCountIsStartedFromTheStoredWebhooksThenTheCreateIsTriedAgain() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        dynamo.script.add(cancelled(code("None"), code("ConditionalCheckFailed")));

        dynamo.store(7).create(webhook());

        assertEquals(List.of("transactWriteItems", "query", "putItem", "transactWriteItems"), dynamo.calls);
        assertEquals("3", dynamo.puts.get(0).item().get("webhooks").n());
        assertEquals("attribute_not_exists(pk)", dynamo.puts.get(0).conditionExpression());
    }

    @Test
    void aTransactionThatLostToAConcurrentOneIsTriedAgain() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        dynamo.script.add(cancelled(code("None"), code("TransactionConflict")));
        dynamo.script.add(cancelled(code("None"), code("TransactionConflict")));

        dynamo.store(7).create(webhook());

        assertEquals(3, dynamo.calls.size());
    }

    @Test
    void triesAreBoundedWhenEveryTransactionLoses() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        for (int i = 0; i < 50; i++) {
            dynamo.script.add(cancelled(code("None"), code("TransactionConflict")));
        }

        assertThrows(TransactionCanceledException.class, () -> dynamo.store(7).create(webhook()));
        assertEquals(WebhookCount.MAX_TRIES, dynamo.calls.size());
    }

    @Test
    void deletingAWebhookThatIsGoneChangesNoCount() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        dynamo.script.add(cancelled(code("ConditionalCheckFailed"), code("ConditionalCheckFailed")));

        assertFalse(dynamo.store(7).delete(TENANT, "wh_01jd0000000000000000000000"));
        assertEquals(List.of("transactWriteItems"), dynamo.calls);
    }
}
