package com.astra.webhooks.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.SigningMode;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.webhook.SigningKeys.Key;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    private static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant ROTATED = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2026-11-21T00:00:00Z");
    private static final Ed25519KeyPair NEW_PAIR = new Ed25519KeyPair("whsk_new", "whpk_new");
    private static final Ed25519KeyPair OLD_PAIR = new Ed25519KeyPair("whsk_old", "whpk_old");

    private static Webhook webhook(SigningMode mode) {
        return new Webhook("wh_1", "t", "https://e.com", List.of("*"), null, true, CREATED, ROTATED, "whsec_new",
                null, Map.of(), null, "whsec_old", EXPIRES, null,
                new Signing(mode, NEW_PAIR, ROTATED, OLD_PAIR, null, ROTATED, null), null, null);
    }

    @Test
    void bothListsEachKindCurrentFirstWithPublicKeysOnlyAndTheGraceEnd() {
        assertEquals(List.of(
                new Key("hmac", null, ROTATED, null),
                new Key("ed25519", "whpk_new", ROTATED, null),
                new Key("hmac", null, CREATED, EXPIRES),
                new Key("ed25519", "whpk_old", CREATED, EXPIRES)), SigningKeys.of(webhook(SigningMode.BOTH), ROTATED));
    }

    @Test
    void aModeListsOnlyTheKindItSignsWithAndAfterTheGraceOnlyTheCurrentKey() {
        assertEquals(List.of(new Key("ed25519", "whpk_new", ROTATED, null), new Key("ed25519", "whpk_old", CREATED, EXPIRES)),
                SigningKeys.of(webhook(SigningMode.ED25519), ROTATED));
        assertEquals(List.of(new Key("hmac", null, ROTATED, null)), SigningKeys.of(webhook(SigningMode.HMAC), EXPIRES));
        Webhook fresh = new Webhook("wh_1", "t", "https://e.com", List.of("*"), null, true, CREATED, CREATED, "whsec_a");
        assertEquals(List.of(new Key("hmac", null, CREATED, null)), SigningKeys.of(fresh, EXPIRES));
    }
}
