package com.astra.webhooks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
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

    private static final Ed25519KeyPair NEW_PAIR = new Ed25519KeyPair("whsk_new", "whpk_new");
    private static final Ed25519KeyPair OLD_PAIR = new Ed25519KeyPair("whsk_old", "whpk_old");

    private static Webhook rotatedSigning(SigningMode mode) {
        Signing signing = new Signing(mode, NEW_PAIR, EXPIRES, OLD_PAIR, null, EXPIRES, null);
        return new Webhook("wh_1", "t", "https://e.com", List.of("*"), null, true, EXPIRES, EXPIRES, "whsec_new",
                null, Map.of(), null, "whsec_old", EXPIRES, null, signing, null, null);
    }

    @Test
    void theModeSaysWhichKeysSignCurrentOnesFirstAndPreviousOnesOnlyDuringTheGrace() {
        Instant during = EXPIRES.minusMillis(1);
        assertEquals(List.of("whsec_new", "whsec_old"), rotatedSigning(SigningMode.HMAC).signingSecrets(during),
                "hmac: the key pairs are not used");
        assertEquals(List.of("whsk_new", "whsk_old"), rotatedSigning(SigningMode.ED25519).signingSecrets(during),
                "ed25519: no HMAC signature at all");
        assertEquals(List.of("whsec_new", "whsk_new", "whsec_old", "whsk_old"),
                rotatedSigning(SigningMode.BOTH).signingSecrets(during));
        assertEquals(List.of("whsec_new", "whsk_new"), rotatedSigning(SigningMode.BOTH).signingSecrets(EXPIRES));
        Webhook erased = rotatedSigning(SigningMode.BOTH).withoutPreviousSecret();
        assertEquals(null, erased.signing().previousKey(), "the old private key goes with the old secret");
        assertEquals(NEW_PAIR, erased.signing().key());
    }

    @Test
    void onlyAnEd25519ModeShowsAPublicKey() {
        assertEquals(null, rotatedSigning(SigningMode.HMAC).signing().publicKey());
        assertEquals("whpk_new", rotatedSigning(SigningMode.ED25519).signing().publicKey());
        assertEquals("whpk_new", rotatedSigning(SigningMode.BOTH).signing().publicKey());
        assertEquals(Signing.HMAC, new Webhook("wh_1", "t", "https://e.com", List.of("*"), null, true, EXPIRES, EXPIRES,
                "whsec_a").signing());
    }
}
