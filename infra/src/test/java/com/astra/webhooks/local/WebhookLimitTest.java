package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.store.WebhookStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tenant has at most {@link WebhookStore#MAX_WEBHOOKS_PER_TENANT} webhooks, through the API
 * with the deployed cap: it fills up with real creates, the next is a 409 in the contract's error
 * shape (checked against openapi.yaml like every response here), concurrent creates at the edge
 * never pass it, a deleted webhook frees a slot, and another tenant is unaffected.
 */
@ExtendWith(AstraLocalExtension.class)
class WebhookLimitTest {

    private static final int CAP = WebhookStore.MAX_WEBHOOKS_PER_TENANT;
    private static final String BODY = "{\"url\":\"https://example.com/hook\",\"events\":[\"agent_completed\"]}";

    private final TenantClient tenant = new TenantClient();
    private final ExecutorService clients = Executors.newFixedThreadPool(8);

    @AfterEach
    void close() {
        clients.shutdownNow();
    }

    @Test
    void aTenantFillsUpToTheCapAndTheNextCreateIsA409() throws Exception {
        int edge = 4;
        List<Callable<Http.Response>> fill = new ArrayList<>();
        for (int i = 0; i < CAP - edge; i++) {
            fill.add(this::create);
        }
        for (Http.Response r : runTogether(fill)) {
            assertEquals(201, r.status(), r.body());
        }

        List<Callable<Http.Response>> racing = new ArrayList<>();
        for (int i = 0; i < 4 * edge; i++) {
            racing.add(this::create);
        }
        int created = 0;
        for (Http.Response r : runTogether(racing)) {
            if (r.status() == 201) {
                created++;
            } else {
                assertLimitReached(r);
            }
        }
        assertEquals(edge, created, "creates that succeeded at the edge of the cap");
        assertLimitReached(create());
        assertEquals(CAP, tenant.all("/webhooks", 200).size(), "webhooks listed");

        TenantClient other = new TenantClient();
        assertEquals(201, other.http.post("/webhooks", other.token, BODY).status(), "another tenant still creates");

        String id = (String) tenant.all("/webhooks", 1).get(0).get("id");
        assertEquals(204, tenant.delete("/webhooks/" + id).status());
        assertEquals(404, tenant.delete("/webhooks/" + id).status());
        assertEquals(201, create().status(), "a deleted webhook frees its slot");
        assertLimitReached(create());
    }

    private static void assertLimitReached(Http.Response r) {
        assertEquals(409, r.status(), r.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) json(r).get("error");
        assertEquals("webhook_limit_reached", error.get("code"), r.body());
        assertEquals(List.of(), error.get("details"));
    }

    private Http.Response create() {
        return tenant.http.post("/webhooks", tenant.token, BODY);
    }

    private List<Http.Response> runTogether(List<Callable<Http.Response>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> futures = new ArrayList<>();
        for (Callable<Http.Response> call : calls) {
            futures.add(clients.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<Http.Response> responses = new ArrayList<>();
        for (Future<Http.Response> f : futures) {
            responses.add(f.get());
        }
        return responses;
    }
}
