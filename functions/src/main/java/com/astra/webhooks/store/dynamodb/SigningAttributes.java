package com.astra.webhooks.store.dynamodb;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.SigningMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A webhook's {@link Signing} in its item. An HMAC-only webhook has none of these attributes, so
 * its item (and its write cost) is what it was before there was a choice; the times are ISO
 * strings like {@code createdAt}, and an absent {@code secretFrom} means "since createdAt".
 */
final class SigningAttributes {
    private SigningAttributes() {}

    static final String MODE = "signing";
    static final String KEY = "signingKey";
    static final String PUBLIC_KEY = "publicKey";
    static final String KEY_FROM = "keyFrom";
    static final String PREVIOUS_KEY = "previousSigningKey";
    static final String PREVIOUS_PUBLIC_KEY = "previousPublicKey";
    static final String PREVIOUS_KEY_FROM = "previousKeyFrom";
    static final String SECRET_FROM = "secretFrom";
    static final String PREVIOUS_SECRET_FROM = "previousSecretFrom";

    /** What a rotation's grace keeps; erased with the previous secret when the grace ends. */
    static final List<String> PREVIOUS = List.of(PREVIOUS_SECRET_FROM, PREVIOUS_KEY, PREVIOUS_PUBLIC_KEY, PREVIOUS_KEY_FROM);

    /** A whole webhook's attributes, the inverse of {@link #read}: nothing for a new {@code hmac} one. */
    static void put(Signing signing, Instant createdAt, Map<String, AttributeValue> item) {
        if (signing.mode() != SigningMode.HMAC) {
            item.put(MODE, AttributeValue.fromS(signing.mode().wire()));
        }
        if (signing.key() != null) {
            item.put(KEY, AttributeValue.fromS(signing.key().privateKey()));
            item.put(PUBLIC_KEY, AttributeValue.fromS(signing.key().publicKey()));
            // Written, not left to mean createdAt: a later PUT keeps an existing keyFrom as it is.
            item.put(KEY_FROM, time(signing.keyFrom() == null ? createdAt : signing.keyFrom()));
        }
        if (signing.previousKey() != null) {
            item.put(PREVIOUS_KEY, AttributeValue.fromS(signing.previousKey().privateKey()));
            item.put(PREVIOUS_PUBLIC_KEY, AttributeValue.fromS(signing.previousKey().publicKey()));
        }
        putTime(item, PREVIOUS_KEY_FROM, signing.previousKeyFrom());
        putTime(item, SECRET_FROM, signing.secretFrom());
        putTime(item, PREVIOUS_SECRET_FROM, signing.previousSecretFrom());
    }

    private static void putTime(Map<String, AttributeValue> item, String name, Instant at) {
        if (at != null) {
            item.put(name, time(at));
        }
    }

    private static AttributeValue time(Instant at) {
        return AttributeValue.fromS(at.toString());
    }

    static Signing read(Map<String, AttributeValue> item) {
        SigningMode mode = item.containsKey(MODE) ? SigningMode.fromWire(item.get(MODE).s()).orElseThrow() : SigningMode.HMAC;
        return new Signing(mode, pair(item, KEY, PUBLIC_KEY), instant(item, KEY_FROM),
                pair(item, PREVIOUS_KEY, PREVIOUS_PUBLIC_KEY), instant(item, PREVIOUS_KEY_FROM),
                instant(item, SECRET_FROM), instant(item, PREVIOUS_SECRET_FROM));
    }

    /**
     * A PUT's change of mode: to an Ed25519 mode, {@code key} (from {@code at}) unless the webhook
     * already has a pair, which receivers may hold; to {@code hmac}, no key pair kept at all.
     */
    static void change(SigningMode mode, Ed25519KeyPair key, Instant at, FieldUpdate update) {
        if (mode.usesEd25519()) {
            update.set(MODE, AttributeValue.fromS(mode.wire()));
            update.setIfAbsent(KEY, AttributeValue.fromS(key.privateKey()));
            update.setIfAbsent(PUBLIC_KEY, AttributeValue.fromS(key.publicKey()));
            update.setIfAbsent(KEY_FROM, AttributeValue.fromS(at.toString()));
        } else {
            for (String field : List.of(MODE, KEY, PUBLIC_KEY, KEY_FROM, PREVIOUS_KEY, PREVIOUS_PUBLIC_KEY, PREVIOUS_KEY_FROM)) {
                update.remove(field);
            }
        }
    }

    /**
     * The SET clauses a rotation adds to the secret's: the validity starts, and with {@code key}
     * the new pair, the replaced pair kept as previous when there is a grace. Every operand reads
     * the item as it was, so "previous = current" copies the pair being replaced.
     */
    static String rotation(Ed25519KeyPair key, boolean grace, Map<String, AttributeValue> values) {
        StringBuilder set = new StringBuilder(", " + SECRET_FROM + " = :now");
        if (grace) {
            set.append(", " + PREVIOUS_SECRET_FROM + " = if_not_exists(" + SECRET_FROM + ", :created)");
        }
        if (key != null) {
            values.put(":signingKey", AttributeValue.fromS(key.privateKey()));
            values.put(":publicKey", AttributeValue.fromS(key.publicKey()));
            if (grace) {
                set.append(", " + PREVIOUS_KEY + " = " + KEY + ", " + PREVIOUS_PUBLIC_KEY + " = " + PUBLIC_KEY + ", "
                        + PREVIOUS_KEY_FROM + " = if_not_exists(" + KEY_FROM + ", :created)");
            }
            set.append(", " + KEY + " = :signingKey, " + PUBLIC_KEY + " = :publicKey, " + KEY_FROM + " = :now");
        }
        return set.toString();
    }

    private static Ed25519KeyPair pair(Map<String, AttributeValue> item, String privateName, String publicName) {
        AttributeValue privateKey = item.get(privateName);
        AttributeValue publicKey = item.get(publicName);
        return privateKey == null || publicKey == null ? null : new Ed25519KeyPair(privateKey.s(), publicKey.s());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : Instant.parse(value.s());
    }
}
