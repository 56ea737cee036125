package com.astra.webhooks.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.local.JwksStandIn;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenVerifierJwksTest {

    static final RSAKey rsa = JwksStandIn.rsaKey("rsa-1");
    static final ECKey ec = JwksStandIn.ecKey("ec-1");
    static final RSAKey strangerRsaSameKid = JwksStandIn.rsaKey("rsa-1");
    static JwksStandIn idp;
    static String jwksUrl;

    @BeforeAll
    static void serveJwks() {
        idp = new JwksStandIn(rsa, ec);
        jwksUrl = idp.url();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    /** A fresh verifier per test, as a fresh container would have: its own empty JWKS cache. */
    static TokenVerifier jwksOnly() {
        return new TokenVerifier((String) null, jwksUrl, null, null, null);
    }

    static String signed(JWSAlgorithm alg, String kid, JWK key, String sub) {
        return "Bearer " + JwksStandIn.sign(key, alg, kid, sub);
    }

    static String reason(TokenVerifier v, String header) {
        return assertThrows(UnauthorizedException.class, () -> v.tenantOf(header)).getMessage();
    }

    @Test
    void acceptsRs256FromJwks() throws Exception {
        assertEquals("acme", jwksOnly().tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "acme")));
    }

    @Test
    void acceptsEs256FromJwks() throws Exception {
        assertEquals("acme", jwksOnly().tenantOf(signed(JWSAlgorithm.ES256, "ec-1", ec, "acme")));
    }

    @Test
    void acceptsTokenWithoutKidByTryingMatchingKeys() throws Exception {
        assertEquals("acme", jwksOnly().tenantOf(signed(JWSAlgorithm.RS256, null, rsa, "acme")));
    }

    @Test
    void rejectsUnknownKid() throws Exception {
        TokenVerifier v = jwksOnly();
        String token = signed(JWSAlgorithm.RS256, "rotated-away", rsa, "acme");
        assertEquals("unknown signing key", reason(v, token));
        // A second miss right away hits the JWKS refresh rate limit; still a plain 401, not an outage.
        assertEquals("unknown signing key", reason(v, token));
    }

    @Test
    void picksUpRotatedKeyWithoutWaitingForCacheExpiry() throws Exception {
        TokenVerifier v = jwksOnly();
        assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "acme")));
        RSAKey next = JwksStandIn.rsaKey("rsa-2");
        idp.publish(rsa, next, ec);
        try {
            // The new kid is not in the cached set, which forces one refresh.
            assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-2", next, "acme")));
        } finally {
            idp.publish(rsa, ec);
        }
    }

    @Test
    void rejectsKidPointingAtKeyOfAnotherType() throws Exception {
        // ES256 header naming the RSA key: the key type cannot match, so no key is selected.
        assertEquals("unknown signing key",
                reason(jwksOnly(), signed(JWSAlgorithm.ES256, "rsa-1", ec, "acme")));
    }

    @Test
    void rejectsSignatureFromKeyNotInJwks() throws Exception {
        assertEquals("invalid signature", reason(jwksOnly(),
                signed(JWSAlgorithm.RS256, "rsa-1", strangerRsaSameKid, "acme")));
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
        assertEquals("b", both.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "b")));
        assertEquals("c", both.tenantOf(signed(JWSAlgorithm.ES256, "ec-1", ec, "c")));
        // An RS256 header cannot be satisfied with the shared secret.
        String rsWithHmac = TokenVerifierHs256Test.handSigned("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}",
                "{\"sub\":\"acme\"}", "local-dev-secret");
        assertEquals("invalid signature", reason(both, "Bearer " + rsWithHmac));
    }

    @Test
    void cachesJwksAcrossVerifications() throws Exception {
        TokenVerifier v = jwksOnly();
        int before = idp.fetches();
        for (int i = 0; i < 5; i++) {
            v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "acme"));
            v.tenantOf(signed(JWSAlgorithm.ES256, "ec-1", ec, "acme"));
        }
        assertEquals(1, idp.fetches() - before);
    }

    @Test
    void reportsUnreachableJwksAsKeysUnavailable() throws Exception {
        JwksStandIn gone = new JwksStandIn(rsa);
        gone.close();
        TokenVerifier v = new TokenVerifier((String) null, gone.url(), null, null, null);
        UnauthorizedException e = assertThrows(UnauthorizedException.class,
                () -> v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "acme")));
        assertTrue(e instanceof KeySourceUnavailableException);
        assertEquals("signing keys unavailable", e.getMessage());
    }

    @Test
    void jwksEndpointAnsweringAnErrorIsKeysUnavailable() {
        try (JwksStandIn failing = new JwksStandIn(rsa)) {
            failing.outage(true);
            TokenVerifier v = new TokenVerifier((String) null, failing.url(), null, null, null);
            UnauthorizedException e = assertThrows(UnauthorizedException.class,
                    () -> v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "acme")));
            assertTrue(e instanceof KeySourceUnavailableException, e.getMessage());
            assertTrue(failing.fetches() >= 1, "the provider was asked and answered 503");
        }
    }

    @Test
    void appliesTenantRulesToJwksTokensToo() throws Exception {
        assertEquals("invalid tenant claim",
                reason(jwksOnly(), signed(JWSAlgorithm.ES256, "ec-1", ec, "a#b")));
    }

    @Test
    void unknownKidDuringJwksOutageIsKeysUnavailableNotUnauthorized() throws Exception {
        JwksStandIn provider = new JwksStandIn(rsa);
        TokenVerifier v = new TokenVerifier((String) null, provider.url(), null, null, null);
        assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "acme")));
        provider.close(); // the identity provider goes away; its keys stay cached

        String unknownKid = signed(JWSAlgorithm.RS256, "rotated-in", rsa, "acme");
        // the kid may be a key rotated in during the outage: we cannot tell, so "try again later"
        for (int i = 0; i < 3; i++) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> v.tenantOf(unknownKid));
            assertTrue(e instanceof KeySourceUnavailableException, "attempt " + (i + 1) + ": " + e.getMessage());
        }
        // a cached key still verifies: the outage does not stop known tokens
        assertEquals("acme", v.tenantOf(signed(JWSAlgorithm.RS256, "rsa-1", rsa, "acme")));
    }
}
