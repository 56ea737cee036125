package com.astra.webhooks.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over the raw secret bytes, exactly as RFC 7518 and jwt.io do it.
 *
 * <p>Why not nimbus's MACSigner/MACVerifier: they refuse secrets shorter than 256 bits (every
 * constructor, including the SecretKey ones), and the local default secret
 * "local-dev-secret" is 128 bits. Padding or deriving a longer key would break interop with
 * tokens minted by other tools from the same secret, so we do the (tiny) HMAC ourselves.
 * Deployed stacks should still use a secret of at least 32 random bytes.
 *
 * <p>Immutable and thread-safe: a fresh {@link Mac} is created per call.
 */
final class Hs256 implements JWSSigner {

    private static final String JCA_NAME = "HmacSHA256";

    private final byte[] secret;
    private final JCAContext jcaContext = new JCAContext();

    Hs256(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("HS256 secret must not be empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A key that is not text, e.g. one derived with {@link #mac}. */
    Hs256(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("HS256 key must not be empty");
        }
        this.secret = key.clone();
    }

    boolean isFor(String candidate) {
        return MessageDigest.isEqual(secret, candidate.getBytes(StandardCharsets.UTF_8));
    }

    byte[] mac(byte[] signingInput) {
        try {
            Mac mac = Mac.getInstance(JCA_NAME);
            mac.init(new SecretKeySpec(secret, JCA_NAME));
            return mac.doFinal(signingInput);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every JRE; reaching this means a broken runtime.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison so the signature cannot be guessed byte by byte. */
    boolean verify(byte[] signingInput, byte[] signature) {
        return signature != null && MessageDigest.isEqual(mac(signingInput), signature);
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            throw new JOSEException("only HS256 is supported");
        }
        return Base64URL.encode(mac(signingInput));
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.HS256);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
