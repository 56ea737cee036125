package com.astra.webhooks.auth;

import com.astra.webhooks.auth.TokenIssuer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenVerifierJwksTest {

    static RSAKey rsa;
    static ECKey ec;
    static RSAKey strangerRsaSameKid;
    static HttpServer server;
    static String jwksUrl;
    static final AtomicInteger fetches = new AtomicInteger();
    static final AtomicReference<byte[]> served = new AtomicReference<>();

    static void publish(JWKSet set) {
        served.set(set.toString().getBytes(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void serveJwks() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        strangerRsaSameKid = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        publish(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())));

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        jwksUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** A fresh verifier per test, as a fresh container would have: its own empty JWKS cache. */
    static TokenVerifier jwksOnly() {
        return new TokenVerifier((String) null, jwksUrl, null, null, null);
    }

    static String signed(JWSAlgorithm alg, String kid, JWSSigner signer, String sub) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(sub)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return "Bearer " + jwt.serialize();
    }

    static String reason(TokenVerifier v, String header) {
        return assertThrows(UnauthorizedException.class, () -> v.tenantOf(header)).getMessage();
    }

    @Test
    void acceptsRs256FromJwks() throws Exception {
        assertEquals("acme", jwksOnly().tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), "acme")));
    }

    @Test
    void acceptsEs256FromJwks() throws Exception {
        assertEquals("acme", jwksOnly().tenantOf(signed(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec), "acme")));
    }

    @Test
    void acceptsTokenWithoutKidByTryingMatchingKeys() throws Exception {
        assertEquals("acme", jwksOnly().tenantOf(signed(JWSAlgorithm.RS256, null, new RSASSASigner(rsa), "acme")));
    }

    @Test
    void rejectsUnknownKid() throws Exception {
        TokenVerifier v = jwksOnly();
        String token = signed(JWSAlgorithm.RS256, "rotated-away", new RSASSASigner(rsa), "acme");
        assertEquals("unknown signing key", reason(v, token));
        // A second miss right away hits the JWKS refresh rate limit; still a plain 401, not an outage.
        assertEquals("unknown signing key", reason(v, token));
    }

    @Test
    void picksUpRotatedKeyWithoutWaitingForCacheExpiry() throws Exception {
        TokenVerifier v = jwksOnly();
        assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), "acme")));
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        JWKSet before = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
        publish(new JWKSet(List.of(rsa.toPublicJWK(), next.toPublicJWK(), ec.toPublicJWK())));
        try {
            // The new kid is not in the cached set, which forces one refresh.
            assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(next), "acme")));
        } finally {
            publish(before);
        }
    }

    @Test
    void rejectsKidPointingAtKeyOfAnotherType() throws Exception {
        // ES256 header naming the RSA key: the key type cannot match, so no key is selected.
        assertEquals("unknown signing key",
                reason(jwksOnly(), signed(JWSAlgorithm.ES256, "rsa-1", new ECDSASigner(ec), "acme")));
    }

    @Test
    void rejectsSignatureFromKeyNotInJwks() throws Exception {
        assertEquals("invalid signature", reason(jwksOnly(),
                signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(strangerRsaSameKid), "acme")));
    }

    @Test
    void rejectsHs256WhenOnlyJwksConfigured() throws Exception {
        TokenVerifier v = jwksOnly();
        String hs = "Bearer " + TokenIssuer.issueHs256("local-dev-secret", "acme", Duration.ofMinutes(5));
        assertEquals("unexpected token algorithm", reason(v, hs));
        // The classic confusion attack: HMAC keyed with the (public) RSA key, claiming its kid.
        String publicKeyAsSecret = rsa.toPublicJWK().toJSONString();
        String confused = TokenVerifierHs256Test.handSigned("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}",
                "{\"sub\":\"acme\"}", publicKeyAsSecret);
        assertEquals("unexpected token algorithm", reason(v, "Bearer " + confused));
    }

    @Test
    void acceptsBothFamiliesWhenSecretAndJwksConfigured() throws Exception {
        TokenVerifier both = new TokenVerifier("local-dev-secret", jwksUrl, null, null, null);
        assertEquals("a", both.tenantOf("Bearer " + TokenIssuer.issueHs256("local-dev-secret", "a", Duration.ofMinutes(1))));
        assertEquals("b", both.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), "b")));
        assertEquals("c", both.tenantOf(signed(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec), "c")));
        // An RS256 header cannot be satisfied with the shared secret.
        String rsWithHmac = TokenVerifierHs256Test.handSigned("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}",
                "{\"sub\":\"acme\"}", "local-dev-secret");
        assertEquals("invalid signature", reason(both, "Bearer " + rsWithHmac));
    }

    @Test
    void cachesJwksAcrossVerifications() throws Exception {
        TokenVerifier v = jwksOnly();
        int before = fetches.get();
        for (int i = 0; i < 5; i++) {
            v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), "acme"));
            v.tenantOf(signed(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec), "acme"));
        }
        assertEquals(1, fetches.get() - before);
    }

    @Test
    void reportsUnreachableJwksAsKeysUnavailable() throws Exception {
        HttpServer gone = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = gone.getAddress().getPort();
        gone.stop(0);
        TokenVerifier v = new TokenVerifier((String) null, "http://127.0.0.1:" + port + "/jwks.json", null, null, null);
        UnauthorizedException e = assertThrows(UnauthorizedException.class,
                () -> v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), "acme")));
        assertTrue(e instanceof KeySourceUnavailableException);
        assertEquals("signing keys unavailable", e.getMessage());
    }

    @Test
    void appliesTenantRulesToJwksTokensToo() throws Exception {
        assertEquals("invalid tenant claim",
                reason(jwksOnly(), signed(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec), "a#b")));
    }

    @Test
    void unknownKidDuringJwksOutageIsKeysUnavailableNotUnauthorized() throws Exception {
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(List.of(rsa.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
        idp.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        idp.start();
        TokenVerifier v = new TokenVerifier((String) null, "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json",
                null, null, null);
        assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), "acme")));
        idp.stop(0); // the identity provider goes away; its keys stay cached

        String unknownKid = signed(JWSAlgorithm.RS256, "rotated-in", new RSASSASigner(rsa), "acme");
        // the kid may be a key rotated in during the outage: we cannot tell, so "try again later"
        for (int i = 0; i < 3; i++) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> v.tenantOf(unknownKid));
            assertTrue(e instanceof KeySourceUnavailableException, "attempt " + (i + 1) + ": " + e.getMessage());
        }
        // a cached key still verifies: the outage does not stop known tokens
        assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), "acme")));
    }
}
