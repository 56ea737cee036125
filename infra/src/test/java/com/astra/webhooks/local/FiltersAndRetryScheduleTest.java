package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.local.Receiver.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Payload filters and per-webhook retry schedules through the runner: events pushed on SQS, the
 * real dispatcher, a real receiver on loopback, and the API to read the records back.
 * RETRY_SCHEDULE is the test runner's 1s x7 (8 attempts). Where a test shows that something did
 * NOT happen, it waits until the events queue is empty (nothing visible, in flight or delayed):
 * the dispatcher has then finished with everything pushed before.
 */
@ExtendWith(AstraLocalExtension.class)
class FiltersAndRetryScheduleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, Object> FAILED_RUNS = Map.of("data.run.status", Map.of("$in", List.of("failed", "timeout")),
            "data.workspace", Map.of("$startsWith", "ws-prod-"));

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    private Map<String, Object> create(Map<String, Object> body) {
        Http.Response r = tenant.http.post("/webhooks", tenant.token, Json.write(body));
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

    private static Map<String, Object> hook(String url, Object... more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("events", "*");
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private List<Map<String, Object>> deliveries(Object webhookId) {
        Http.Response r = tenant.get("/webhooks/" + webhookId + "/deliveries?limit=200");
        assertEquals(200, r.status(), r.body());
        return data(r);
    }

    private static Map<String, Object> run(String status, String workspace) {
        return Map.of("run", Map.of("status", status), "workspace", workspace);
    }

    private void awaitQueueDrained() {
        Eventually.await(Duration.ofSeconds(60), "the events queue to drain", () -> AstraLocalExtension.sqs()
                .getQueueAttributes(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl()).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().values().stream().allMatch("0"::equals));
    }

    @Test
    void onlyMatchingEventsAreDeliveredOrRecorded() {
        Object filtered = create(hook(receiver.url("/filtered"), "filter", FAILED_RUNS)).get("id");
        Object everything = create(hook(receiver.url("/everything"))).get("id");

        List<String> matching = new ArrayList<>();
        List<String> all = new ArrayList<>();
        matching.add(tenant.push("agent.failed", run("failed", "ws-prod-eu")));
        all.add(tenant.push("agent.failed", run("failed", "ws-dev-eu")));       // wrong workspace
        matching.add(tenant.push("agent.completed", run("timeout", "ws-prod-us")));
        all.add(tenant.push("agent.completed", run("ok", "ws-prod-us")));       // wrong status
        all.add(tenant.push("tool.executed", Map.of("run", "failed")));         // no such path
        matching.add(tenant.push("agent.failed", run("failed", "ws-prod-ap")));
        all.addAll(matching);

        receiver.await("/everything", 6, WAIT);
        awaitQueueDrained();

        List<Receiver.Request> got = receiver.requests("/filtered");
        assertEquals(Set.copyOf(matching), got.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()));
        assertEquals(3, got.size(), "exactly the 3 matching events were delivered");
        List<Map<String, Object>> records = deliveries(filtered);
        assertEquals(3, records.size(), "non-matching events leave no dispatch record");
        assertEquals(Set.copyOf(matching), records.stream().map(d -> d.get("eventId")).collect(Collectors.toSet()));
        assertEquals(Set.copyOf(all), deliveries(everything).stream().map(d -> d.get("eventId")).collect(Collectors.toSet()),
                "a webhook without a filter gets every event");

        // a test send ignores the filter: webhook.test has no data.run.status at all
        Http.Response test = tenant.post("/webhooks/" + filtered + "/test");
        assertEquals(200, test.status(), test.body());
        assertEquals("delivered", json(test).get("outcome"));
        assertEquals(4, receiver.requests("/filtered").size());
    }

    @Test
    void testModeInterceptsOnlyMatchingEvents() {
        Object filtered = create(hook(receiver.url("/tm-filtered"), "filter", FAILED_RUNS)).get("id");
        Object everything = create(hook(receiver.url("/tm-everything"))).get("id");
        assertEquals(200, tenant.post("/webhooks/test-mode/enable").status());
        try {
            String match = tenant.push("agent.failed", run("failed", "ws-prod-eu"));
            tenant.push("agent.failed", run("ok", "ws-prod-eu"));
            Eventually.await(WAIT, "2 intercepted dispatches of the unfiltered webhook",
                    () -> data(tenant.get("/webhooks/test-mode/log")).stream()
                            .filter(d -> everything.equals(d.get("webhookId"))).count() >= 2);
            awaitQueueDrained();
            List<Map<String, Object>> intercepted = data(tenant.get("/webhooks/test-mode/log")).stream()
                    .filter(d -> filtered.equals(d.get("webhookId"))).toList();
            assertEquals(List.of(match), intercepted.stream().map(d -> d.get("eventId")).toList());
            assertTrue(receiver.requests("/tm-filtered").isEmpty(), "test mode sends nothing");
        } finally {
            assertEquals(200, tenant.post("/webhooks/test-mode/disable").status());
        }
    }

    @Test
    void aWebhooksOwnScheduleDecidesItsAttemptsWhileAnotherKeepsTheDefault() {
        Answer[] down = new Answer[12];
        java.util.Arrays.fill(down, Answer.status(500));
        receiver.script("/own", down).script("/default", down);
        Map<String, Object> own = create(hook(receiver.url("/own"), "retrySchedule", "1s,1s"));
        assertEquals("1s,1s", own.get("retrySchedule"));
        Map<String, Object> standard = create(hook(receiver.url("/default")));
        assertNull(standard.get("retrySchedule"));

        String eventId = tenant.push("agent.failed", run("failed", "ws-prod-eu"));
        receiver.await("/default", 8, WAIT);
        awaitQueueDrained();

        assertEquals(3, receiver.requests("/own").size(), "1s,1s: the first attempt and two retries");
        assertEquals(8, receiver.requests("/default").size(), "the runner's RETRY_SCHEDULE 1s x7");
        List<Map<String, Object>> ownRecords = deliveries(own.get("id"));
        assertEquals(3, ownRecords.size());
        Map<String, Object> last = ownRecords.get(0); // newest first
        assertEquals(3, ((Number) last.get("attempt")).intValue());
        assertEquals(eventId, last.get("eventId"));
        assertEquals("failed", last.get("outcome"));
        assertNull(last.get("nextAttemptAt"), "the third attempt is the last");
        assertNotNull(ownRecords.get(1).get("nextAttemptAt"));
    }

    @Test
    void badFiltersAndSchedulesAre400sNamingTheField() {
        String url = receiver.url("/bad");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(Json.write(hook(url, "filter", Map.of("$or", List.of(Map.of("event", "x"), Map.of("data.n", Map.of("$gt", true)))))),
                "filter.$or[1].data.n.$gt");
        cases.put(Json.write(hook(url, "filter", Map.of("run.status", "failed"))), "filter.run.status");
        cases.put(Json.write(hook(url, "filter", Map.of("data.n", Map.of("$regex", "a")))), "filter.data.n.$regex");
        cases.put(Json.write(hook(url, "filter", "event == 'x'")), "filter");
        cases.put(Json.write(hook(url, "filter", Map.of("data.s", "x".repeat(5000)))), "filter");
        cases.put(Json.write(hook(url, "retrySchedule", "5s,,5m")), "retrySchedule");
        cases.put(Json.write(hook(url, "retrySchedule", "25h")), "retrySchedule");
        cases.put(Json.write(hook(url, "retrySchedule", "24h,24h,24h,24h")), "retrySchedule");
        cases.put(Json.write(hook(url, "retrySchedule", String.join(",", java.util.Collections.nCopies(21, "1s")))), "retrySchedule");
        cases.put(Json.write(hook(url, "retrySchedule", 5)), "retrySchedule");
        cases.forEach((body, field) -> {
            Http.Response r = tenant.http.post("/webhooks", tenant.token, body);
            assertEquals(400, r.status(), body);
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) json(r).get("error");
            assertEquals("validation_error", error.get("code"));
            assertTrue(((String) error.get("message")).startsWith(field + " "), error.get("message") + " names " + field);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> details = (List<Map<String, Object>>) error.get("details");
            assertEquals(field, details.get(0).get("field"), body);
        });

        Object id = create(hook(url)).get("id");
        Http.Response r = tenant.http.put("/webhooks/" + id, tenant.token, "{\"filter\": {\"data.n\": {\"$in\": 3}}, \"description\": \"x\"}");
        assertEquals(400, r.status());
        assertTrue(r.body().contains("filter.data.n.$in"), r.body());
        assertNull(json(tenant.get("/webhooks/" + id)).get("description"), "a refused PUT changes nothing");
    }

    @Test
    void putChangesOnlyTheFieldsPresentAndNullClears() {
        Map<String, Object> created = create(hook(receiver.url("/rt"), "filter", FAILED_RUNS, "retrySchedule", "10s, 1m"));
        assertEquals(FAILED_RUNS, created.get("filter"));
        assertEquals("10s,1m", created.get("retrySchedule"));
        String path = "/webhooks/" + created.get("id");

        Http.Response other = tenant.http.put(path, tenant.token, "{\"description\": \"only this\"}");
        assertEquals(200, other.status(), other.body());
        assertEquals(FAILED_RUNS, json(other).get("filter"), "absent fields are kept");
        assertEquals("10s,1m", json(other).get("retrySchedule"));

        Map<String, Object> replaced = Map.of("event", "agent.failed");
        Http.Response put = tenant.http.put(path, tenant.token, Json.write(Map.of("filter", replaced, "retrySchedule", "2h")));
        assertEquals(200, put.status(), put.body());
        assertEquals(replaced, json(tenant.get(path)).get("filter"));
        assertEquals("2h", json(tenant.get(path)).get("retrySchedule"));

        Http.Response cleared = tenant.http.put(path, tenant.token, "{\"filter\": null, \"retrySchedule\": null}");
        assertEquals(200, cleared.status(), cleared.body());
        Map<String, Object> after = json(tenant.get(path));
        assertTrue(after.containsKey("filter") && after.get("filter") == null, after.toString());
        assertTrue(after.containsKey("retrySchedule") && after.get("retrySchedule") == null, after.toString());
        assertEquals("only this", after.get("description"));
    }
}
