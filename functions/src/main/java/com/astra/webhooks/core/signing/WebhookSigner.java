package com.astra.webhooks.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries the Standard Webhooks way (the scheme Svix and the {@code standardwebhooks}
 * libraries verify): {@code v1,<base64 HMAC-SHA256(key, "<msgId>.<timestamp>.<body>")>}, where
 * the key is the base64-decoded part of the secret after {@code whsec_}; or, for an Ed25519
 * private key ({@code whsk_}, see {@link Ed25519KeyPair}), the asymmetric
 * {@code v1a,<base64 Ed25519 signature of the same text>}. The key's prefix picks the scheme, so a
 * webhook's list of signing keys says everything about what its deliveries carry.
 *
 * <p>Stateless and thread-safe: a {@link Mac} is created per signature because Mac instances
 * are not thread-safe, and creating one is cheap next to an HTTP call.
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    public static final String SIGNATURE_VERSION = "v1";
    public static final String ASYMMETRIC_SIGNATURE_VERSION = "v1a";

    /** 32 bytes = 256 bits, the HMAC-SHA256 block-size-friendly length Standard Webhooks recommends. */
    static final int SECRET_BYTES = 32;

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final String ED25519 = "Ed25519";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh secret: {@code whsec_} + base64 of 32 bytes from {@link SecureRandom}. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The signature of one attempt: {@code v1,<base64>} for a {@code whsec_} secret,
     * {@code v1a,<base64>} for a {@code whsk_} Ed25519 private key.
     *
     * @throws IllegalArgumentException if the key is neither {@code whsec_} + non-empty base64
     *     nor {@code whsk_} + base64 of 32 bytes
     */
    public String sign(String secret, String msgId, long timestampSeconds, String body) {
        String signed = msgId + "." + timestampSeconds + "." + body;
        if (secret != null && secret.startsWith(Ed25519KeyPair.PRIVATE_PREFIX)) {
            return ASYMMETRIC_SIGNATURE_VERSION + "," + Base64.getEncoder().encodeToString(
                    ed25519(Ed25519KeyPair.privateKey(secret), signed.getBytes(StandardCharsets.UTF_8)));
        }
        byte[] key = keyOf(secret);
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            byte[] digest = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
            return SIGNATURE_VERSION + "," + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is mandatory on every Java platform; a non-empty key is always valid for it.
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /**
     * The {@code webhook-signature} header value: one signature per key, space separated, so
     * that during a rotation a receiver holding either the old or the new key can verify, and a
     * webhook signing with both schemes carries {@code v1,… v1a,…}.
     *
     * @throws IllegalArgumentException if there is no secret or one of them is malformed
     */
    public String signatureHeader(List<String> secrets, String msgId, long timestampSeconds, String body) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed to sign");
        }
        StringJoiner header = new StringJoiner(" ");
        for (String secret : secrets) {
            header.add(sign(secret, msgId, timestampSeconds, body));
        }
        return header.toString();
    }

    /** RFC 8032 Ed25519 (pure, no context) of {@code message}; a Signature per call, as they are not thread-safe. */
    static byte[] ed25519(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance(ED25519);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    private static byte[] keyOf(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // Never echo the secret itself into an exception message: messages end up in logs.
            throw new IllegalArgumentException("a webhook secret is " + SECRET_PREFIX + " followed by base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a webhook secret must not be empty");
        }
        return key;
    }
}
