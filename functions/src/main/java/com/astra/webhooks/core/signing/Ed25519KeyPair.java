package com.astra.webhooks.core.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A webhook's Ed25519 key pair in the Standard Webhooks text forms: {@code whsk_} + base64 of the
 * 32-byte private key (the RFC 8032 seed) and {@code whpk_} + base64 of the 32-byte public key.
 * The raw bytes are what every Ed25519 library takes, unlike the JDK's DER encodings, which are
 * those 32 bytes behind a fixed prefix (RFC 8410) and are converted here and nowhere else.
 *
 * <p>{@link #toString()} names the public key only: a key pair that ends up in a log line or an
 * exception message must not carry its private half with it.
 */
public record Ed25519KeyPair(String privateKey, String publicKey) {

    public static final String PRIVATE_PREFIX = "whsk_";
    public static final String PUBLIC_PREFIX = "whpk_";
    static final String ALGORITHM = "Ed25519";
    static final int KEY_BYTES = 32;

    /** PKCS#8 PrivateKeyInfo of an Ed25519 key up to its 32 raw bytes (RFC 8410, section 7). */
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    /** X.509 SubjectPublicKeyInfo of an Ed25519 key up to its 32 raw bytes (RFC 8410, section 4). */
    private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");

    /** A fresh key pair from the JDK's generator (its default SecureRandom). */
    public static Ed25519KeyPair generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new Ed25519KeyPair(PRIVATE_PREFIX + base64(raw(pair.getPrivate().getEncoded(), PKCS8_PREFIX)),
                    PUBLIC_PREFIX + base64(raw(pair.getPublic().getEncoded(), X509_PREFIX)));
        } catch (GeneralSecurityException e) {
            // Ed25519 is in every JDK from 15 on; without it the service cannot run at all.
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /**
     * The JDK private key of a {@code whsk_} text.
     *
     * @throws IllegalArgumentException if it is not {@code whsk_} + base64 of 32 bytes; the
     *     message never holds the key
     */
    static PrivateKey privateKey(String text) {
        byte[] raw = decode(text, PRIVATE_PREFIX);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
    }

    /**
     * The JDK public key of a {@code whpk_} text (what a receiver does with the key it fetched).
     *
     * @throws IllegalArgumentException if it is not {@code whpk_} + base64 of 32 bytes
     */
    public static PublicKey publicKey(String text) {
        byte[] raw = decode(text, PUBLIC_PREFIX);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
    }

    @Override
    public String toString() {
        return "Ed25519KeyPair[publicKey=" + publicKey + "]";
    }

    private static byte[] decode(String text, String prefix) {
        if (text == null || !text.startsWith(prefix)) {
            throw new IllegalArgumentException("an Ed25519 key here starts with " + prefix);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an Ed25519 key is " + prefix + " followed by base64");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 key is " + KEY_BYTES + " bytes");
        }
        return raw;
    }

    private static byte[] raw(byte[] encoded, byte[] prefix) {
        if (encoded.length != prefix.length + KEY_BYTES
                || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalStateException("unexpected Ed25519 key encoding");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
