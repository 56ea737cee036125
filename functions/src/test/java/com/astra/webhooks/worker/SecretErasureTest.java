package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.Poison;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.SecretExpiry;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import com.astra.webhooks.testing.JobMessages;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretErasureTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final List<String> scheduled = new ArrayList<>();
    private final SecretErasure handler = new SecretErasure(store,
            (tenant, id, at) -> scheduled.add(id + " at " + at), Clock.fixed(NOW, ZoneOffset.UTC));

    /** {@code expiry} after its trip through the queue. */
    private static SecretExpiry afterTheQueue(SecretExpiry expiry) {
        return (SecretExpiry) JobMessages.roundTrip(expiry);
    }

    @Test
    void beforeItsTimeTheMessageHopsThroughTheQueueAgain() {
        Instant due = NOW.plusSeconds(86_400);
        assertTrue(handler.handle(afterTheQueue(new SecretExpiry("t", "wh_1", due))));
        assertEquals(List.of("wh_1 at " + due), scheduled);
        assertEquals(List.of(), store.log, "nothing erased early");
    }

    @Test
    void atItsTimeThePreviousSecretIsErased() {
        assertTrue(handler.handle(afterTheQueue(new SecretExpiry("t", "wh_1", NOW))));
        assertEquals(List.of("erase wh_1 at " + NOW), store.log);
        assertEquals(List.of(), scheduled);
    }

    @Test
    void aMalformedMessageIsPoisonNotRetriedForever() {
        Map<String, String> attributes = JobCodec.encode(new SecretExpiry("t", "wh_1", NOW)).attributes();
        String body = "{\"tenant\":\"t\"}";
        assertEquals(new Poison(body, "secret expiry message is malformed"),
                JobMessages.CODEC.decode(new QueueMessage("m1", body, attributes, 1)));
    }
}
