package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.local.Receiver.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Writers of one webhook that change different fields never undo each other: concurrent PUTs,
 * and a PUT landing while the dispatcher handles a 410 from the webhook's receiver. Every
 * change that was answered 200 must be in the stored item afterwards.
 */
@ExtendWith(AstraLocalExtension.class)
class ConcurrentUpdatesTest {

    private static final int ROUNDS = 20;

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();
    private final ExecutorService clients = Executors.newFixedThreadPool(4);

    @AfterEach
    void close() {
        clients.shutdownNow();
        receiver.close();
    }

    @Test
    void concurrentPutsOnDifferentFieldsAllStick() throws Exception {
        int lostRounds = 0;
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String id = (String) tenant.createWebhook(receiver.url("/before"), "[\"agent_completed\"]").get("id");
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("description", "round " + round);
            changes.put("enabled", false);
            changes.put("events", List.of("tool.executed"));
            changes.put("url", receiver.url("/after-" + round));

            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> puts = new ArrayList<>();
            changes.forEach((field, value) -> puts.add(clients.submit(() -> {
                start.await();
                return tenant.http.put("/webhooks/" + id, tenant.token, Json.write(Map.of(field, value)));
            })));
            start.countDown();
            for (Future<Http.Response> put : puts) {
                Http.Response r = put.get();
                assertEquals(200, r.status(), r.body());
            }

            Map<String, Object> stored = json(tenant.get("/webhooks/" + id));
            List<String> missing = new ArrayList<>();
            changes.forEach((field, value) -> {
                if (!value.equals(stored.get(field))) {
                    missing.add(field);
                }
            });
            if (!missing.isEmpty()) {
                lostRounds++;
                lost.add("round " + round + " lost " + missing);
            }
        }
        System.out.printf("[updates] %d rounds of 4 concurrent PUTs, %d rounds lost a change %s%n",
                ROUNDS, lostRounds, lost);
        assertEquals(List.of(), lost, "every change answered 200 is stored");
    }

    @Test
    void putRacingA410DisableKeepsBothChanges() throws Exception {
        CompletableFuture<Void> putDone = new CompletableFuture<>();
        // the receiver holds its 410 until the PUT has been answered: the dispatcher read the
        // webhook before the PUT and writes its disable after it, the window a whole-item write loses
        receiver.script("/gone", Answer.heldUntil(410, putDone));
        String id = (String) tenant.createWebhook(receiver.url("/gone"), "[\"agent_completed\"]").get("id");
        tenant.push("agent_completed", Map.of());
        receiver.await("/gone", 1, Duration.ofSeconds(20));

        String newUrl = receiver.url("/moved");
        Http.Response put = tenant.http.put("/webhooks/" + id, tenant.token,
                "{\"url\":" + Json.write(newUrl) + ",\"description\":\"moved\"}");
        putDone.complete(null);
        assertEquals(200, put.status(), put.body());
        assertEquals(newUrl, json(put).get("url"), "the PUT answers with the item as stored");

        Eventually.await(Duration.ofSeconds(20), "the 410 to disable the webhook",
                () -> Boolean.FALSE.equals(json(tenant.get("/webhooks/" + id)).get("enabled")));
        Map<String, Object> stored = json(tenant.get("/webhooks/" + id));
        assertEquals(newUrl, stored.get("url"), "the disable did not put the old URL back");
        assertEquals("moved", stored.get("description"));
        assertEquals("receiver answered 410 Gone", stored.get("disabledReason"));

        // the tenant turns it back on: the service's reason goes with that decision
        Http.Response enabled = tenant.http.put("/webhooks/" + id, tenant.token, "{\"enabled\":true}");
        assertEquals(200, enabled.status(), enabled.body());
        assertEquals(true, json(enabled).get("enabled"));
        assertNull(json(enabled).get("disabledReason"));
        assertEquals(newUrl, json(enabled).get("url"));
    }
}
