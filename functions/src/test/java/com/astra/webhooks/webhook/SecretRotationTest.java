package com.astra.webhooks.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRotationTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final SecretRotation rotation = new SecretRotation(store,
            (tenant, id, expiresAt) -> store.log.add("schedule " + id + " at " + expiresAt), Clock.fixed(NOW, ZoneOffset.UTC));

    SecretRotationTest() {
        store.create(new Webhook("wh_1", "t", "https://e.com", List.of("*"), null, true, NOW, NOW, "whsec_AAAA"));
    }

    @Test
    void theEraseIsScheduledBeforeTheWriteSoAQueueOutageChangesNothing() {
        SecretRotation.Rotated r = rotation.rotate("t", "wh_1", Map.of("gracePeriodSeconds", 60)).orElseThrow();
        assertEquals(NOW.plusSeconds(60), r.previousSecretExpiresAt());
        assertTrue(r.secret().startsWith("whsec_"));
        assertEquals(List.of("schedule wh_1 at " + NOW.plusSeconds(60), "rotate wh_1 previous until " + NOW.plusSeconds(60)),
                store.log);

        SecretRotation failing = new SecretRotation(store, (tenant, id, at) -> {
            throw new IllegalStateException("queue down");
        }, Clock.fixed(NOW, ZoneOffset.UTC));
        store.log.clear();
        assertThrows(IllegalStateException.class, () -> failing.rotate("t", "wh_1", Map.of()));
        assertEquals(List.of(), store.log, "nothing written");
    }

    @Test
    void theDefaultGraceIsOneDayAndZeroKeepsNoPreviousSecretAndSchedulesNothing() {
        assertEquals(NOW.plusSeconds(86_400), rotation.rotate("t", "wh_1", Map.of()).orElseThrow().previousSecretExpiresAt());
        store.log.clear();
        assertEquals(NOW, rotation.rotate("t", "wh_1", Map.of("gracePeriodSeconds", 0)).orElseThrow().previousSecretExpiresAt());
        assertEquals(List.of("rotate wh_1 previous until null"), store.log);
    }

    @Test
    void anUnknownWebhookIsEmptyAndSchedulesNothing() {
        assertTrue(rotation.rotate("other-tenant", "wh_1", Map.of()).isEmpty());
        assertEquals(List.of(), store.log);
    }

    @Test
    void aBadBodyIsRefusedBeforeAnythingHappens() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("gracePeriodSeconds", -1),
                Map.of("gracePeriodSeconds", 604_801), Map.of("gracePeriodSeconds", 1.5), Map.of("grace", 60))) {
            ValidationException e = assertThrows(ValidationException.class, () -> rotation.rotate("t", "wh_1", body));
            assertTrue(e.getMessage().contains("grace"), e.getMessage());
        }
        assertEquals(List.of(), store.log);
    }

    @Test
    void aWebhookWithAKeyPairGetsANewOneShownByItsPublicHalfOnly() {
        com.astra.webhooks.core.signing.Ed25519KeyPair pair = com.astra.webhooks.core.signing.Ed25519KeyPair.generate();
        store.create(new Webhook("wh_2", "t", "https://e.com", List.of("*"), null, true, NOW, NOW, "whsec_AAAA", null,
                Map.of(), null, null, null, null, com.astra.webhooks.model.Signing.of(com.astra.webhooks.model.SigningMode.BOTH, pair), null, null));
        SecretRotation.Rotated r = rotation.rotate("t", "wh_2", Map.of("gracePeriodSeconds", 60)).orElseThrow();
        assertTrue(r.publicKey().startsWith("whpk_"), r.publicKey());
        assertTrue(!r.publicKey().equals(pair.publicKey()), "a new key pair");
        assertTrue(store.log.contains("rotate wh_2 and its key pair previous until " + NOW.plusSeconds(60)), store.log.toString());
        assertEquals(null, rotation.rotate("t", "wh_1", Map.of()).orElseThrow().publicKey(), "an hmac webhook has none");
    }
}
