package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.SecretExpiry;
import com.astra.webhooks.jobs.TestLogClearChunk;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretExpiryHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final List<String> scheduled = new ArrayList<>();
    private final List<String> deadLettered = new ArrayList<>();
    private final SecretExpiryHandler handler = new SecretExpiryHandler(store,
            (tenant, id, at) -> scheduled.add(id + " at " + at), new Queues() {
                @Override
                public void scheduleRetry(RetryTask task, int delaySeconds) {
                    throw new AssertionError("no retry");
                }

                @Override
                public void queueAll(List<RetryTask> tasks, int delaySeconds) {
                    throw new AssertionError("no retry");
                }

                @Override
                public void continueRecovery(RecoveryPage page) {
                    throw new AssertionError("no recover");
                }

                @Override
                public void continueTestLogClear(TestLogClearChunk chunk) {
                    throw new AssertionError("no clear");
                }

                @Override
                public void publish(String message) {
                    throw new AssertionError("no event");
                }

                @Override
                public void deadLetter(String body, String reason) {
                    deadLettered.add(reason);
                }
            }, Clock.fixed(NOW, ZoneOffset.UTC));

    private static QueueMessage message(String body) {
        return new QueueMessage("m1", body, Map.of(QueueMessage.KIND, QueueMessage.SECRET_EXPIRY), 1);
    }

    @Test
    void beforeItsTimeTheMessageHopsThroughTheQueueAgain() {
        Instant due = NOW.plusSeconds(86_400);
        assertTrue(handler.handle(message(new SecretExpiry("t", "wh_1", due).toJson())));
        assertEquals(List.of("wh_1 at " + due), scheduled);
        assertEquals(List.of(), store.log, "nothing erased early");
    }

    @Test
    void atItsTimeThePreviousSecretIsErased() {
        assertTrue(handler.handle(message(new SecretExpiry("t", "wh_1", NOW).toJson())));
        assertEquals(List.of("erase wh_1 at " + NOW), store.log);
        assertEquals(List.of(), scheduled);
    }

    @Test
    void aMalformedMessageIsDeadLetteredNotRetriedForever() {
        assertTrue(handler.handle(message("{\"tenant\":\"t\"}")));
        assertEquals(List.of("secret expiry message is malformed"), deadLettered);
        assertTrue(message("{}").isSecretExpiry());
    }
}
