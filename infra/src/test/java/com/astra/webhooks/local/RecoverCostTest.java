package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.bench.ConsumedCapacityInterceptor;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.webhook.RecoverWindow;
import com.astra.webhooks.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a recover's page costs per recovered event, measured: the Recovery the WebhooksHandler
 * uses, built in-process against the shared runner's DynamoDB and queue (the runner's handlers
 * live in their own class loader, out of the interceptor's sight), on a webhook whose 40
 * events each failed a whole retry schedule. Prints the figures the README quotes.
 */
@ExtendWith(AstraLocalExtension.class)
class RecoverCostTest {

    private static final int EVENTS = 40;
    private static final int ATTEMPTS = 8;

    @Test
    void oneQueryPageAndOneClaimPerEventRecoverEveryFailedEvent() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        Receiver down = new Receiver();
        // failing for the whole schedule, then healthy: the recovered attempts are delivered
        down.otherwise(request -> Receiver.Answer.status(hits.incrementAndGet() <= EVENTS * ATTEMPTS ? 500 : 200));
        try {
            String tenant = "t-" + UUID.randomUUID();
            String token = AstraLocalExtension.token(tenant);
            Http http = AstraLocalExtension.http();
            Http.Response created = http.post("/webhooks", token, "{\"url\":\""
                    + down.url("/h") + "\",\"events\":[\"agent_completed\"]}");
            assertEquals(201, created.status(), created.body());
            String webhookId = (String) Json.parseObject(created.body()).get("id");
            Instant since = Instant.now().minusSeconds(1);
            for (int i = 0; i < EVENTS; i++) {
                String body = Json.write(Map.of("event", "agent_completed", "tenant", tenant, "data", Map.of("n", i)));
                AstraLocalExtension.sqs().sendMessage(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl()).messageBody(body));
            }
            TenantClient client = new TenantClient(tenant);
            Eventually.await(Duration.ofSeconds(90), "every event failed for good", () -> client
                    .all("/webhook-inspector?webhookId=" + webhookId + "&outcome=failed", 100).stream()
                    .filter(d -> d.get("nextAttemptAt") == null).count() == EVENTS);
            List<String> finalFailures = client.all("/webhook-inspector?webhookId=" + webhookId + "&outcome=failed", 100)
                    .stream().filter(d -> d.get("nextAttemptAt") == null).map(d -> (String) d.get("id")).toList();

            Wiring wiring = new Wiring(Settings.parse(AstraLocalExtension.runner().environment("WebhooksFunction")));
            ConsumedCapacityInterceptor.start();
            int queued = wiring.recovery().start(tenant, webhookId, new RecoverWindow(since, Instant.now()))
                    .orElseThrow();
            Map<String, ConsumedCapacityInterceptor.Tally> calls = ConsumedCapacityInterceptor.stop();

            assertEquals(EVENTS, queued, "one page holds them all");
            double read = calls.get("Query").total.sum();
            double claims = calls.get("UpdateItem").total.sum();
            double webhookRead = calls.containsKey("GetItem") ? calls.get("GetItem").total.sum() : 0;
            System.out.printf("[recover-cost] %d events x %d failed attempts: Query %d call(s) %.1f RCU = %.3f RCU/event;"
                    + " claims %d UpdateItem %.1f WCU = %.2f WCU/event (table+gsi1); webhook GetItem %.1f RCU%n",
                    EVENTS, ATTEMPTS, calls.get("Query").calls.sum(), read, read / EVENTS,
                    calls.get("UpdateItem").calls.sum(), claims, claims / EVENTS, webhookRead);
            assertEquals(1, calls.get("Query").calls.sum(), "one page");
            assertEquals(EVENTS, calls.get("UpdateItem").calls.sum(), "one claim per event");

            // The dispatcher's side: before a recovered event's first attempt it reads the claim.
            ConsumedCapacityInterceptor.start();
            for (String failed : finalFailures) {
                assertTrue(wiring.dispatchStore().recoveryMark(tenant, webhookId, failed).isPresent(), "claimed");
            }
            Map<String, ConsumedCapacityInterceptor.Tally> checks = ConsumedCapacityInterceptor.stop();
            double checkRead = checks.get("GetItem").total.sum();
            System.out.printf("[recover-cost] dispatcher claim check: %d GetItem %.1f RCU = %.2f RCU/event%n",
                    checks.get("GetItem").calls.sum(), checkRead, checkRead / EVENTS);

            Eventually.await(Duration.ofSeconds(60), "every queued event delivered",
                    () -> hits.get() >= EVENTS * ATTEMPTS + EVENTS);
        } finally {
            down.close();
        }
    }
}
