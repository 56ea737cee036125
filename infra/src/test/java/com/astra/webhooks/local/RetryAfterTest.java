package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Receiver etiquette through the runner: the retry schedule is 1 s per retry in these tests, so a
 * second attempt 3 s later can only come from the receiver's Retry-After.
 */
@ExtendWith(AstraLocalExtension.class)
class RetryAfterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void a429WithRetryAfterThreeGetsItsNextAttemptNoSoonerThanThreeSecondsLater() {
        receiver.script("/busy", Receiver.Answer.retryAfter(429, "3"));
        String id = (String) tenant.createWebhook(receiver.url("/busy"), "[\"agent_completed\"]").get("id");
        tenant.push("agent_completed", Map.of());

        List<Receiver.Request> requests = receiver.await("/busy", 2, WAIT);
        Duration gap = Duration.between(requests.get(0).at(), requests.get(1).at());
        assertTrue(gap.compareTo(Duration.ofSeconds(3)) >= 0, "second attempt only " + gap + " after the 429");

        Eventually.await(WAIT, "both attempts recorded",
                () -> tenant.all("/webhook-inspector?webhookId=" + id, 10).size() == 2);
        List<Map<String, Object>> history = tenant.all("/webhook-inspector?webhookId=" + id, 10);
        Map<String, Object> first = history.get(1);
        assertEquals(429, ((Number) first.get("statusCode")).intValue());
        assertEquals("event", first.get("trigger"), "an agent's event and its retries are trigger event");
        assertEquals("event", history.get(0).get("trigger"));
    }

    @Test
    void a503WithAnHttpDateRetryAfterIsHonouredTooAndA500IsNot() {
        // An HTTP date says a moment, not a wait: it holds however long the set-up below takes.
        java.time.ZonedDateTime notBefore = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(6).withNano(0);
        String at = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(notBefore);
        receiver.script("/unavailable", Receiver.Answer.retryAfter(503, at));
        receiver.script("/broken", Receiver.Answer.retryAfter(500, "30"));
        tenant.createWebhook(receiver.url("/unavailable"), "[\"agent_completed\"]");
        tenant.createWebhook(receiver.url("/broken"), "[\"agent_completed\"]");
        tenant.push("agent_completed", Map.of());

        List<Receiver.Request> broken = receiver.await("/broken", 2, WAIT);
        assertTrue(Duration.between(broken.get(0).at(), broken.get(1).at()).compareTo(Duration.ofSeconds(10)) < 0,
                "a 500's Retry-After is not honoured (schedule 1 s)");
        List<Receiver.Request> unavailable = receiver.await("/unavailable", 2, WAIT);
        // The dispatcher takes up a retry due within the next second (the queue counts in whole seconds).
        assertTrue(!unavailable.get(1).at().isBefore(notBefore.toInstant().minusSeconds(1)),
                "503 with an HTTP date waits for it: second attempt at " + unavailable.get(1).at() + ", asked " + at);
        json(tenant.get("/webhooks")); // the API still answers
    }
}
