package com.astra.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.local.AstraLocalExtension;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.SigningMode;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The signing attributes of {@link DynamoDbWebhookStore} against the runner's dynoxide: a rotation
 * refuses to write over key pairs that a PUT added or dropped since it read the webhook, a PUT to
 * an Ed25519 mode keeps an existing pair, and the erase after the grace removes the old pair.
 */
@ExtendWith(AstraLocalExtension.class)
class SigningKeyStoreTest {

    private final DynamoDbWebhookStore store = new DynamoDbWebhookStore(AstraLocalExtension.dynamoDb(),
            AstraLocalExtension.tableName(), Clock.systemUTC());
    private final String tenant = "t-" + UUID.randomUUID();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private Webhook create(SigningMode mode) {
        Webhook w = new Webhook(Ids.newId(Ids.WEBHOOK), tenant, "https://example.com/h", List.of("*"), null, true, now,
                now, WebhookSigner.newSecret(), null, Map.of(), null, null, null, null,
                Signing.of(mode, mode.usesEd25519() ? Ed25519KeyPair.generate() : null), null, null);
        store.create(w);
        return w;
    }

    private static WebhookChanges signing(SigningMode mode) {
        return new WebhookChanges(null, null, null, false, null, null, null, false, null, false, null, false, mode,
                mode.usesEd25519() ? Ed25519KeyPair.generate() : null);
    }

    @Test
    void aRotationThatReadTheWebhookBeforeAPutChangedItsKeyPairsWritesNothing() {
        Webhook read = create(SigningMode.ED25519);
        store.update(tenant, read.id(), signing(SigningMode.HMAC), now);
        assertFalse(store.rotateSecret(read, WebhookSigner.newSecret(), Ed25519KeyPair.generate(), now.plusSeconds(60), now),
                "the pair it would replace is gone");
        Webhook hmac = store.get(tenant, read.id()).orElseThrow();
        assertNull(hmac.signing().key(), "no key pair brought back");
        assertEquals(read.secret(), hmac.secret(), "nothing rotated");

        store.update(tenant, read.id(), signing(SigningMode.BOTH), now);
        assertFalse(store.rotateSecret(hmac, WebhookSigner.newSecret(), null, now.plusSeconds(60), now),
                "a rotation without a key would leave the new pair unrotated");
        Webhook both = store.get(tenant, read.id()).orElseThrow();
        assertTrue(store.rotateSecret(both, WebhookSigner.newSecret(), Ed25519KeyPair.generate(), now.plusSeconds(60), now),
                "read again, it goes through");
    }

    @Test
    void aPutToAnEd25519ModeKeepsAnExistingPairAndTheEraseRemovesThePreviousOne() {
        Webhook created = create(SigningMode.ED25519);
        Webhook both = store.update(tenant, created.id(), signing(SigningMode.BOTH), now.plusSeconds(1)).orElseThrow();
        assertEquals(created.signing().key(), both.signing().key());
        assertEquals(created.createdAt(), both.signing().keyFrom(), "it has signed since the webhook was created");

        Ed25519KeyPair next = Ed25519KeyPair.generate();
        Instant rotatedAt = now.plusSeconds(2);
        assertTrue(store.rotateSecret(both, WebhookSigner.newSecret(), next, rotatedAt.plusSeconds(60), rotatedAt));
        Webhook rotated = store.get(tenant, created.id()).orElseThrow();
        assertEquals(next, rotated.signing().key());
        assertEquals(rotatedAt, rotated.signing().keyFrom());
        assertEquals(created.signing().key(), rotated.signing().previousKey());
        assertEquals(created.createdAt(), rotated.signing().previousKeyFrom());
        assertEquals(created.createdAt(), rotated.signing().previousSecretFrom());

        assertFalse(store.erasePreviousSecret(tenant, created.id(), rotatedAt.plusSeconds(59)), "still in its grace");
        assertTrue(store.erasePreviousSecret(tenant, created.id(), rotatedAt.plusSeconds(60)));
        Webhook erased = store.get(tenant, created.id()).orElseThrow();
        assertNull(erased.signing().previousKey());
        assertNull(erased.signing().previousKeyFrom());
        assertEquals(next, erased.signing().key());
    }
}
