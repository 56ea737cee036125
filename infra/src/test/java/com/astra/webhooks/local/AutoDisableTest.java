package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.svix.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Auto-disable through a runner of its own with {@code DISABLE_AFTER=3s} (the shared runner keeps
 * the 5-day default, so other tests' failing webhooks stay enabled). Retries are 1 s × 7: one
 * event's delivery fails for good about 8 s after it is pushed.
 */
class AutoDisableTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 8;

    private static LocalRunner runner;
    private static SqsClient sqs;
    private static Http http;

    private final String tenant = "t-" + UUID.randomUUID();
    private final String token = AstraLocalExtension.token(tenant);
    private final Receiver receiver = new Receiver();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        settings.put(Settings.DISABLE_AFTER, "3s");
        runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).settings(settings));
        sqs = AwsClients.sqs(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint(),
                Settings.AWS_REGION, LocalRunner.REGION)));
        http = new Http(runner.httpUrl());
    }

    @AfterAll
    static void stop() {
        sqs.close();
        runner.close();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void aWebhookThatOnlyFailsIsDisabledAndAnnouncedToTheTenantsSubscriberAndReenablingClearsTheReason() throws Exception {
        Receiver.Answer[] down = new Receiver.Answer[3 * ATTEMPTS];
        Arrays.fill(down, Receiver.Answer.status(500));
        receiver.script("/dead", down);
        Map<String, Object> dead = create("/dead", "[\"*\"]");
        String deadId = (String) dead.get("id");
        Map<String, Object> ops = create("/ops", "[\"webhook.disabled\"]");

        push();
        awaitFinalFailures(deadId, 1);
        Instant firstFinal = Instant.now();
        push();
        push();

        Eventually.await(WAIT, "the failing webhook disabled", () -> Boolean.FALSE.equals(webhook(deadId).get("enabled")));
        String reason = (String) webhook(deadId).get("disabledReason");
        assertTrue(reason.startsWith("failing since "), reason);
        Instant since = Instant.parse(reason.substring("failing since ".length()));
        assertTrue(!since.isAfter(firstFinal), "the run began at the first final failure: " + reason);

        Receiver.Request announced = receiver.await("/ops", 1, WAIT).get(0);
        new Webhook((String) ops.get("secret")).verify(announced.body(), announced.signatureHeaders());
        Map<String, Object> envelope = Json.parseObject(announced.body());
        assertEquals("webhook.disabled", envelope.get("event"), announced.body());
        assertEquals(Map.of("webhookId", deadId, "url", receiver.url("/dead"), "reason", reason), envelope.get("data"));
        assertTrue(receiver.requests("/dead").stream().noneMatch(r -> r.body().contains("webhook.disabled")),
                "never to the disabled webhook, though it subscribes to everything");

        Http.Response enabled = http.put("/webhooks/" + deadId, token, "{\"enabled\": true}");
        assertEquals(200, enabled.status(), enabled.body());
        assertEquals(true, json(enabled).get("enabled"));
        assertNull(json(enabled).get("disabledReason"));
    }

    @Test
    void aWebhookThatFailsThenSucceedsIsNotDisabled() {
        Receiver.Answer[] script = new Receiver.Answer[ATTEMPTS + 1 + 2 * ATTEMPTS];
        Arrays.fill(script, Receiver.Answer.status(500));
        script[ATTEMPTS] = Receiver.Answer.status(200);
        receiver.script("/flaky", script);
        String id = (String) create("/flaky", "[\"agent_completed\"]").get("id");

        push();
        awaitFinalFailures(id, 1);
        push();
        Eventually.await(WAIT, "the second event delivered", () -> receiver.requests("/flaky").size() == ATTEMPTS + 1);
        push();
        push();
        // Without the success in between, this would be 3 final failures over more than 3 s.
        awaitFinalFailures(id, 3);
        assertEquals(true, webhook(id).get("enabled"));
        assertNull(webhook(id).get("disabledReason"));
    }

    @Test
    void a410DisablesTheWebhookAtOnceAndAnnouncesItToTheTenantsSubscriber() throws Exception {
        receiver.script("/gone", Receiver.Answer.status(410));
        String goneId = (String) create("/gone", "[\"agent_completed\"]").get("id");
        Map<String, Object> ops = create("/ops410", "[\"webhook.disabled\"]");

        push();
        Eventually.await(WAIT, "the webhook disabled", () -> Boolean.FALSE.equals(webhook(goneId).get("enabled")));
        assertEquals("receiver answered 410 Gone", webhook(goneId).get("disabledReason"));
        assertEquals(1, receiver.requests("/gone").size(), "one attempt: a 410 is not retried");

        Receiver.Request announced = receiver.await("/ops410", 1, WAIT).get(0);
        new Webhook((String) ops.get("secret")).verify(announced.body(), announced.signatureHeaders());
        Map<String, Object> envelope = Json.parseObject(announced.body());
        assertEquals("webhook.disabled", envelope.get("event"), announced.body());
        assertEquals(Map.of("webhookId", goneId, "url", receiver.url("/gone"), "reason", "receiver answered 410 Gone"),
                envelope.get("data"));
    }

    private Map<String, Object> create(String path, String events) {
        Http.Response r = http.post("/webhooks", token, "{\"url\":" + Json.write(receiver.url(path)) + ",\"events\":" + events + "}");
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

    private Map<String, Object> webhook(String id) {
        Http.Response r = http.get("/webhooks/" + id, token);
        assertEquals(200, r.status(), r.body());
        return json(r);
    }

    private void push() {
        sqs.sendMessage(b -> b.queueUrl(runner.eventsQueueUrl()).messageBody(
                Json.write(Map.of("event", "agent_completed", "tenant", tenant, "data", Map.of()))));
    }

    @SuppressWarnings("unchecked")
    private void awaitFinalFailures(String webhookId, int count) {
        Eventually.await(WAIT, count + " final failure(s)", () -> {
            Http.Response r = http.get("/webhooks/" + webhookId + "/deliveries?limit=100", token);
            List<Map<String, Object>> data = (List<Map<String, Object>>) json(r).get("data");
            return data.stream().filter(d -> "failed".equals(d.get("outcome")) && d.get("nextAttemptAt") == null).count() >= count;
        });
    }
}
