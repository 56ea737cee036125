package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /webhooks/{id}/stats} through the runner, over dispatch records written by the
 * real store into the webhook's history partition.
 */
@ExtendWith(AstraLocalExtension.class)
class WebhookStatsTest {

    private final TenantClient tenant = new TenantClient();
    private final DynamoDbDispatchStore store = new DynamoDbDispatchStore(AstraLocalExtension.dynamoDb(),
            AstraLocalExtension.tableName(), Duration.ofDays(30));

    private String webhook() {
        return (String) tenant.createWebhook("http://127.0.0.1:9/hook", "[\"agent_completed\"]").get("id");
    }

    private void seed(String webhookId, int index, Dispatch.Outcome outcome, Integer status, long latencyMs,
            Instant at, Instant nextAttemptAt) {
        String eventId = "evt_stats" + index;
        store.put(new Dispatch(Ids.dispatchId(at, tenant.tenant, eventId, webhookId, "1"), tenant.tenant, webhookId,
                eventId, "agent_completed", "http://127.0.0.1:9/hook", 1, outcome, status, "", latencyMs,
                outcome == Dispatch.Outcome.DELIVERED ? null : "HTTP " + status, Map.of(), null, at, nextAttemptAt,
                Dispatch.Trigger.EVENT));
    }

    @Test
    void aKnownMixGivesItsCountsSuccessRateAndLatencyPercentiles() {
        String id = webhook();
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 70; i++) {
            seed(id, i, Dispatch.Outcome.DELIVERED, 200, 50, start.plusSeconds(i), null);
        }
        for (int i = 70; i < 100; i++) {
            seed(id, i, Dispatch.Outcome.FAILED, 500, 7, start.plusSeconds(i), null);
        }
        // one more event failed with its retry still due: pending, not failed
        seed(id, 100, Dispatch.Outcome.FAILED, 503, 9, start.plusSeconds(100), Instant.now().plusSeconds(60));
        // older than the window asked for: not counted
        seed(id, 101, Dispatch.Outcome.DELIVERED, 200, 5000, start.minus(Duration.ofHours(2)), null);

        Http.Response r = tenant.get("/webhooks/" + id + "/stats?since=" + start.minusSeconds(1));
        assertEquals(200, r.status(), r.body());
        Map<String, Object> stats = json(r);
        assertEquals(70, ((Number) stats.get("delivered")).intValue(), r.body());
        assertEquals(30, ((Number) stats.get("failed")).intValue(), r.body());
        assertEquals(1, ((Number) stats.get("pending")).intValue(), r.body());
        assertEquals(0, ((Number) stats.get("intercepted")).intValue(), r.body());
        assertEquals(0.7, ((Number) stats.get("successRate")).doubleValue(), 1e-9, r.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) stats.get("latencyMs");
        long p50 = ((Number) latency.get("p50")).longValue();
        assertTrue(Math.abs(p50 - 50) <= 20, "p50 " + p50);
        assertEquals(Timestamps.format(start.plusSeconds(69)), stats.get("lastDeliveredAt"));
        assertEquals(Timestamps.format(start.plusSeconds(100)), stats.get("lastFailedAt"));
        assertNull(stats.get("sampled"), "100 attempts are under the bound");

        // the default window (24 h) also reaches the one from 3 hours ago
        Map<String, Object> day = json(tenant.get("/webhooks/" + id + "/stats"));
        assertEquals(71, ((Number) day.get("delivered")).intValue(), day.toString());
    }

    @Test
    void anotherTenantsWebhookIsNotFound() {
        String id = webhook();
        seed(id, 0, Dispatch.Outcome.DELIVERED, 200, 50, Instant.now().minusSeconds(5), null);
        TenantClient other = new TenantClient();
        assertError(other.get("/webhooks/" + id + "/stats"), 404, "not_found");
        assertError(tenant.get("/webhooks/wh_00000000000000000000000000/stats"), 404, "not_found");
    }

    @Test
    void aMalformedFutureOrTooOldSinceIsA400() {
        String id = webhook();
        assertError(tenant.get("/webhooks/" + id + "/stats?since=yesterday"), 400, "validation_error");
        assertError(tenant.get("/webhooks/" + id + "/stats?since=" + Instant.now().minus(Duration.ofDays(15))),
                400, "validation_error");
        assertError(tenant.get("/webhooks/" + id + "/stats?since=" + Instant.now().plus(Duration.ofDays(1))),
                400, "validation_error");
    }

    @Test
    void aBucketedWindowGivesOneEntryPerHourWithItsOutcomesAndPercentiles() {
        String id = webhook();
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant threeAgo = hour.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(10));
        Instant twoAgo = hour.minus(Duration.ofHours(2)).plus(Duration.ofMinutes(10));
        Instant oneAgo = hour.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(10));
        seed(id, 0, Dispatch.Outcome.DELIVERED, 200, 10, threeAgo, null);
        seed(id, 1, Dispatch.Outcome.DELIVERED, 200, 20, threeAgo.plusSeconds(1), null);
        seed(id, 2, Dispatch.Outcome.DELIVERED, 200, 30, threeAgo.plusSeconds(2), null);
        seed(id, 3, Dispatch.Outcome.FAILED, 500, 5, threeAgo.plusSeconds(3), null);
        seed(id, 4, Dispatch.Outcome.INTERCEPTED, null, 0, twoAgo, null);
        seed(id, 5, Dispatch.Outcome.INTERCEPTED, null, 0, twoAgo.plusSeconds(1), null);
        seed(id, 6, Dispatch.Outcome.DELIVERED, 200, 100, oneAgo, null);
        seed(id, 7, Dispatch.Outcome.FAILED, 503, 5, oneAgo.plusSeconds(1), Instant.now().plusSeconds(600)); // pending

        Instant since = hour.minus(Duration.ofHours(5));
        Http.Response r = tenant.get("/webhooks/" + id + "/stats?bucket=1h&since=" + since);
        assertEquals(200, r.status(), r.body());
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> series = (java.util.List<Map<String, Object>>) json(r).get("series");
        assertEquals(6, series.size(), r.body());
        for (int i = 0; i < 6; i++) {
            assertEquals(com.astra.webhooks.core.Timestamps.format(since.plus(Duration.ofHours(i))), series.get(i).get("start"), r.body());
        }
        assertBucket(series.get(2), 3, 1, 0, 20L, 30L);
        assertBucket(series.get(3), 0, 0, 2, null, null);
        assertBucket(series.get(4), 1, 0, 0, 100L, 100L);
        assertBucket(series.get(0), 0, 0, 0, null, null);
        assertBucket(series.get(5), 0, 0, 0, null, null);
        // the totals are those of the series, plus the pending pair
        Map<String, Object> stats = json(r);
        assertEquals(4L, ((Number) stats.get("delivered")).longValue());
        assertEquals(1L, ((Number) stats.get("pending")).longValue());

        assertNull(json(tenant.get("/webhooks/" + id + "/stats")).get("series"), "no bucket, no series");
        Map<String, Object> daily = json(tenant.get("/webhooks/" + id + "/stats?bucket=1d&since="
                + Instant.now().minus(Duration.ofDays(2))));
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> days = (java.util.List<Map<String, Object>>) daily.get("series");
        assertTrue(days.size() == 3, daily.toString());
        assertEquals(4L, days.stream().mapToLong(d -> ((Number) d.get("delivered")).longValue()).sum(), daily.toString());
        assertError(tenant.get("/webhooks/" + id + "/stats?bucket=5m"), 400, "validation_error");
    }

    private static void assertBucket(Map<String, Object> bucket, long delivered, long failed, long intercepted, Long p50,
            Long p95) {
        assertEquals(delivered, ((Number) bucket.get("delivered")).longValue(), bucket.toString());
        assertEquals(failed, ((Number) bucket.get("failed")).longValue(), bucket.toString());
        assertEquals(intercepted, ((Number) bucket.get("intercepted")).longValue(), bucket.toString());
        assertEquals(p50, bucket.get("p50") == null ? null : ((Number) bucket.get("p50")).longValue(), bucket.toString());
        assertEquals(p95, bucket.get("p95") == null ? null : ((Number) bucket.get("p95")).longValue(), bucket.toString());
    }
}
