package com.astra.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.local.AstraLocalExtension;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.WebhookLimitReachedException;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The per-tenant webhook cap of {@link DynamoDbWebhookStore}, with a cap of a few webhooks so a
 * tenant fills up quickly, against the runner's dynoxide. The cap is the store's rule alone (one
 * transaction per create and delete), so this is where it is tested in detail;
 * {@code WebhookLimitTest} shows the same rule through the API with the real cap.
 */
@ExtendWith(AstraLocalExtension.class)
class WebhookCapTest {

    private static final int CAP = 5;

    private final DynamoDbClient dynamo = AstraLocalExtension.dynamoDb();
    private final DynamoDbWebhookStore store = new DynamoDbWebhookStore(dynamo, AstraLocalExtension.tableName(),
            Clock.systemUTC(), CAP);
    private final ExecutorService writers = Executors.newFixedThreadPool(16);

    @AfterEach
    void close() {
        writers.shutdownNow();
    }

    @Test
    void createsUpToTheCapThenRefusesAndWritesNothing() {
        String tenant = tenant();
        List<String> created = createMany(tenant, CAP);

        Webhook refused = webhook(tenant);
        WebhookLimitReachedException e = assertThrows(WebhookLimitReachedException.class, () -> store.create(refused));
        assertEquals(CAP, e.limit());
        assertTrue(store.get(tenant, refused.id()).isEmpty(), "a refused create writes nothing");
        assertEquals(created.size(), store.listAll(tenant).size());
    }

    @Test
    void aFullTenantDoesNotStopAnotherTenant() {
        String full = tenant();
        createMany(full, CAP);
        String other = tenant();

        store.create(webhook(other));

        assertThrows(WebhookLimitReachedException.class, () -> store.create(webhook(full)));
        assertEquals(1, store.listAll(other).size());
    }

    @Test
    void deletingAWebhookFreesOneSlotAndDeletingAnUnknownOneFreesNone() {
        String tenant = tenant();
        List<String> created = createMany(tenant, CAP);

        assertFalse(store.delete(tenant, Ids.newId(Ids.WEBHOOK)), "an unknown id is not deleted");
        assertThrows(WebhookLimitReachedException.class, () -> store.create(webhook(tenant)),
                "deleting an unknown id freed a slot");

        assertTrue(store.delete(tenant, created.get(0)));
        assertFalse(store.delete(tenant, created.get(0)), "the second delete of one webhook frees nothing");
        store.create(webhook(tenant));
        assertThrows(WebhookLimitReachedException.class, () -> store.create(webhook(tenant)));
    }

    @Test
    void concurrentCreatesAtTheEdgeNeverExceedTheCap() throws Exception {
        for (int round = 0; round < 5; round++) {
            String tenant = tenant();
            createMany(tenant, CAP - 2);
            List<Callable<Boolean>> creates = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                creates.add(() -> {
                    try {
                        store.create(webhook(tenant));
                        return true;
                    } catch (WebhookLimitReachedException e) {
                        return false;
                    }
                });
            }
            long succeeded = runTogether(creates).stream().filter(b -> b).count();

            assertEquals(2, succeeded, "round " + round + ": creates that succeeded past " + (CAP - 2));
            assertEquals(CAP, store.listAll(tenant).size());
        }
    }

    @Test
    void concurrentDeletesOfOneWebhookFreeOneSlot() throws Exception {
        String tenant = tenant();
        String id = createMany(tenant, CAP).get(0);
        List<Callable<Boolean>> deletes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            deletes.add(() -> store.delete(tenant, id));
        }

        long deleted = runTogether(deletes).stream().filter(b -> b).count();

        assertEquals(1, deleted);
        store.create(webhook(tenant));
        assertThrows(WebhookLimitReachedException.class, () -> store.create(webhook(tenant)),
                "more than one slot was freed");
    }

    @Test
    void aTenantWhoseWebhooksPredateTheCountIsCountedFromThem() {
        String tenant = tenant();
        // Webhooks written as before the count existed: items alone, no count.
        DynamoDbWebhookStore uncounted = new DynamoDbWebhookStore(dynamo, AstraLocalExtension.tableName(),
                Clock.systemUTC(), Integer.MAX_VALUE);
        List<String> old = new ArrayList<>();
        for (int i = 0; i < CAP - 1; i++) {
            Webhook w = webhook(tenant);
            old.add(w.id());
            uncounted.create(w);
        }
        dynamo.deleteItem(b -> b.tableName(AstraLocalExtension.tableName()).key(Map.of(
                TableLayout.PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                TableLayout.SK, AttributeValue.fromS(TableLayout.WEBHOOK_COUNT_SORT_KEY))));

        store.create(webhook(tenant));
        assertThrows(WebhookLimitReachedException.class, () -> store.create(webhook(tenant)));
        assertTrue(store.delete(tenant, old.get(0)));
        store.create(webhook(tenant));
        assertThrows(WebhookLimitReachedException.class, () -> store.create(webhook(tenant)));
        assertEquals(CAP, store.listAll(tenant).size());
    }

    @Test
    void theCountStaysOutOfEveryWebhookList() {
        String tenant = tenant();
        List<String> created = createMany(tenant, 3);

        assertEquals(3, store.listAll(tenant).size());
        var page = store.list(tenant, 2, null);
        assertEquals(2, page.items().size());
        var rest = store.list(tenant, 2, page.nextCursor());
        assertEquals(1, rest.items().size());
        assertEquals(null, rest.nextCursor());
        List<String> listed = new ArrayList<>();
        page.items().forEach(w -> listed.add(w.id()));
        rest.items().forEach(w -> listed.add(w.id()));
        assertEquals(created.stream().sorted().toList(), listed.stream().sorted().toList());
    }

    @Test
    void theDefaultCapIsTheContractOne() {
        String tenant = tenant();
        DynamoDbWebhookStore deployed = new DynamoDbWebhookStore(dynamo, AstraLocalExtension.tableName(), Clock.systemUTC());
        createMany(tenant, CAP);
        deployed.create(webhook(tenant)); // the test cap does not hold for the deployed store
        var count = dynamo.getItem(b -> b.tableName(AstraLocalExtension.tableName()).consistentRead(true).key(Map.of(
                TableLayout.PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                TableLayout.SK, AttributeValue.fromS(TableLayout.WEBHOOK_COUNT_SORT_KEY)))).item();
        assertEquals(String.valueOf(CAP + 1), count.get("webhooks").n());
        assertEquals(1_000, WebhookStore.MAX_WEBHOOKS_PER_TENANT);
    }

    private <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(writers.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    private List<String> createMany(String tenant, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Webhook w = webhook(tenant);
            store.create(w);
            ids.add(w.id());
        }
        return ids;
    }

    private static String tenant() {
        return "t-cap-" + UUID.randomUUID();
    }

    private static Webhook webhook(String tenant) {
        String id = Ids.newId(Ids.WEBHOOK);
        Instant now = Instant.now();
        return new Webhook(id, tenant, "https://example.com/" + id, List.of(Webhook.ALL_EVENTS), null, true, now, now,
                WebhookSigner.newSecret());
    }
}
