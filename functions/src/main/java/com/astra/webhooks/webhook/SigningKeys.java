package com.astra.webhooks.webhook;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /webhooks/{id}/signing-keys (DESIGN.md "Signatures"): the keys a delivery made now is signed
 * with, current first, so a receiver can fetch Ed25519 public keys instead of pasting them and
 * see when a rotation's old key stops. An HMAC key is listed without its secret: a receiver
 * learns that and until when it signs, never the key itself.
 */
public final class SigningKeys {
    private SigningKeys() {}

    public static final String HMAC = "hmac";
    public static final String ED25519 = "ed25519";

    /** One signing key: {@code publicKey} only for Ed25519; {@code validUntil} null while it is current. */
    public record Key(String kind, String publicKey, Instant validFrom, Instant validUntil) {}

    /** The webhook's signing keys at {@code now}: current ones, then previous ones still in their grace. */
    public static List<Key> of(Webhook webhook, Instant now) {
        Signing signing = webhook.signing();
        List<Key> keys = new ArrayList<>(4);
        add(keys, webhook, signing.key(), since(signing.secretFrom(), webhook), since(signing.keyFrom(), webhook), null);
        if (webhook.previousSecret() != null && !webhook.previousSecretExpired(now)) {
            add(keys, webhook, signing.previousKey(), since(signing.previousSecretFrom(), webhook),
                    since(signing.previousKeyFrom(), webhook), webhook.previousSecretExpiresAt());
        }
        return List.copyOf(keys);
    }

    private static void add(List<Key> keys, Webhook webhook, Ed25519KeyPair pair, Instant secretFrom, Instant keyFrom,
            Instant until) {
        if (webhook.signing().mode().usesHmac()) {
            keys.add(new Key(HMAC, null, secretFrom, until));
        }
        if (webhook.signing().mode().usesEd25519() && pair != null) {
            keys.add(new Key(ED25519, pair.publicKey(), keyFrom, until));
        }
    }

    private static Instant since(Instant from, Webhook webhook) {
        return from == null ? webhook.createdAt() : from;
    }
}
