package com.astra.webhooks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTest {

    private static final Instant EXPIRES = Instant.parse("2026-11-27T10:00:00Z");

    private static Webhook rotated() {
        return new Webhook("wh_1", "t", "https://e.com", List.of("*"), null, true, EXPIRES, EXPIRES, "whsec_new",
                null, Map.of(), null, "whsec_old", EXPIRES);
    }

    @Test
    void signsWithTheNewSecretFirstThenThePreviousUntilItsGraceEnds() {
        assertEquals(List.of("whsec_new", "whsec_old"), rotated().signingSecrets(EXPIRES.minusMillis(1)));
        assertFalse(rotated().previousSecretExpired(EXPIRES.minusMillis(1)));
    }

    @Test
    void fromTheEndOfTheGraceOnlyTheNewSecretSignsAndTheOldOneIsDueForErasure() {
        assertEquals(List.of("whsec_new"), rotated().signingSecrets(EXPIRES));
        assertTrue(rotated().previousSecretExpired(EXPIRES));
        Webhook erased = rotated().withoutPreviousSecret();
        assertEquals(null, erased.previousSecret());
        assertEquals(List.of("whsec_new"), erased.signingSecrets(EXPIRES.minusSeconds(60)));
        assertFalse(erased.previousSecretExpired(EXPIRES));
    }

    @Test
    void aWebhookNeverRotatedSignsWithItsOneSecret() {
        Webhook w = new Webhook("wh_1", "t", "https://e.com", List.of("*"), null, true, EXPIRES, EXPIRES, "whsec_a");
        assertEquals(List.of("whsec_a"), w.signingSecrets(EXPIRES));
        assertEquals(Map.of(), w.headers());
    }
}
