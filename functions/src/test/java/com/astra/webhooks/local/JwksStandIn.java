package com.astra.webhooks.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test kit's identity provider on loopback: signing keys whose public parts it serves as a
 * JWKS, and tokens signed with them. A test can rotate the published keys ({@link #publish}),
 * count fetches, make the endpoint fail ({@link #outage}: 503 until lifted) or go away for good
 * ({@link #close()}: connection refused).
 */
public final class JwksStandIn implements AutoCloseable {

    /** Tokens live this long unless a test says otherwise. */
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    private final JWK key;
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile byte[] served;
    private volatile boolean down;
    private boolean closed;

    /** One fresh RSA key named {@code kid}. */
    public JwksStandIn(String kid) {
        this(rsaKey(kid));
    }

    /** Serves the public parts of {@code keys}; {@link #token(String)} signs with the first. */
    public JwksStandIn(JWK... keys) {
        key = keys[0];
        publish(keys);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] body = served;
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /** From now on the JWKS holds the public parts of these keys (a rotation, or a key withdrawn). */
    public void publish(JWK... keys) {
        served = new JWKSet(List.of(keys).stream().map(JWK::toPublicJWK).toList()).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** While on, every fetch of the JWKS gets a 503. */
    public void outage(boolean on) {
        down = on;
    }

    /** How many times the JWKS was asked for, outage answers included. */
    public int fetches() {
        return fetches.get();
    }

    /** A token for {@code tenant} signed with the first key, naming {@code kid} (which need not be its own). */
    public String token(String kid, String tenant) {
        return sign(key, algorithmOf(key), kid, tenant);
    }

    public String token(String tenant) {
        return token(key.getKeyID(), tenant);
    }

    /**
     * A compact JWT with subject {@code subject}, valid for {@link #TOKEN_LIFETIME}, signed with
     * {@code signingKey} under {@code alg}, whose header names {@code kid} (null: no kid).
     */
    public static String sign(JWK signingKey, JWSAlgorithm alg, String kid, String subject) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
                .expirationTime(Date.from(Instant.now().plus(TOKEN_LIFETIME))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        try {
            jwt.sign(signer(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static JWSSigner signer(JWK key) throws JOSEException {
        return key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner(key.toRSAKey());
    }

    private static JWSAlgorithm algorithmOf(JWK key) {
        return key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
    }

    /** The endpoint goes away (connection refused); tokens can still be made. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stop(0);
        }
    }
}
