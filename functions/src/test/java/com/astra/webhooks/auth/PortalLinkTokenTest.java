package com.astra.webhooks.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Link tokens alone: what {@link PortalLinks} mints, and every way a token can fail to be one. */
class PortalLinkTokenTest {

    static final String SECRET = "local-dev-secret";
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final PortalLinks links = new PortalLinks(() -> SECRET, CLOCK);
    private final TokenVerifier verifier = new TokenVerifier(SECRET, null, "https://idp.example", null, null, CLOCK)
            .withPortalLinks(links);

    private String bearer(String token) {
        return "Bearer " + token;
    }

    private String unauthorized(String token) {
        return assertThrows(UnauthorizedException.class, () -> verifier.callerOf(bearer(token))).getMessage();
    }

    /** Signed with the real link key, with whatever claims a test wants. */
    private static String linkSigned(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(PortalLinks.TYPE))
                .build(), claims);
        jwt.sign(new Hs256(new Hs256(SECRET).mac(PortalLinks.KEY_LABEL.getBytes(StandardCharsets.UTF_8))));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder valid() {
        return new JWTClaimsSet.Builder().subject("acme").issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(600))).claim("scope", "read");
    }

    @Test
    void aMintedLinkComesBackAsTheCallerItDescribes() {
        PortalLinks.Link link = links.mint(Caller.platform("acme", null), Caller.Scope.READ, Duration.ofMinutes(10),
                Set.of("wh_a", "wh_b"));
        assertEquals(NOW.plusSeconds(600), link.expiresAt());
        assertEquals(new Caller("acme", Caller.Scope.READ, Set.of("wh_a", "wh_b"), NOW.plusSeconds(600)),
                verifier.callerOf(bearer(link.token())));
        // a link needs no iss/aud: those are the platform's, and this token is ours
        assertEquals("acme", verifier.tenantOf(bearer(link.token())));
    }

    @Test
    void aVerifierThatMintsNoLinksAcceptsNone() {
        String token = links.mint(Caller.platform("acme", null), Caller.Scope.MANAGE, Duration.ofMinutes(1), null).token();
        TokenVerifier platformOnly = new TokenVerifier(SECRET, null, null, null, null, CLOCK);
        assertEquals("unexpected token type",
                assertThrows(UnauthorizedException.class, () -> platformOnly.callerOf(bearer(token))).getMessage());
    }

    @Test
    void aLinkFromAnotherSecretIsRefused() {
        String token = new PortalLinks(() -> "another-secret", CLOCK)
                .mint(Caller.platform("acme", null), Caller.Scope.READ, Duration.ofMinutes(1), null).token();
        assertEquals("invalid signature", unauthorized(token));
    }

    @Test
    void tokensWithTheLinkKeyButNotALinksClaimsAreRefused() throws Exception {
        assertEquals("acme", verifier.callerOf(bearer(linkSigned(valid().build()))).tenant());
        assertEquals("malformed token", unauthorized(linkSigned(valid().expirationTime(null).build())));
        assertEquals("malformed token", unauthorized(linkSigned(valid().issueTime(null).build())));
        assertEquals("malformed token", unauthorized(linkSigned(valid()
                .expirationTime(Date.from(NOW.plus(Duration.ofDays(1)).plusSeconds(1))).build())));
        assertEquals("malformed token", unauthorized(linkSigned(valid().claim("scope", "admin").build())));
        assertEquals("malformed token", unauthorized(linkSigned(valid().claim("scope", null).build())));
        assertEquals("malformed token", unauthorized(linkSigned(valid().claim("webhookIds", "wh_a").build())));
        assertEquals("malformed token", unauthorized(linkSigned(valid().claim("webhookIds", List.of(1)).build())));
        assertEquals("invalid tenant claim", unauthorized(linkSigned(valid().subject("a#b").build())));
        assertEquals("token expired", unauthorized(linkSigned(valid().issueTime(Date.from(NOW.minusSeconds(700)))
                .expirationTime(Date.from(NOW.minusSeconds(100))).build())));
    }

    @Test
    void noLinkIsWiderOrLongerThanItsMaker() {
        Caller reader = new Caller("acme", Caller.Scope.READ, null, null);
        assertThrows(PortalLinks.WideningException.class,
                () -> links.mint(reader, Caller.Scope.MANAGE, Duration.ofMinutes(1), null));
        Caller onlyA = new Caller("acme", Caller.Scope.MANAGE, Set.of("wh_a"), NOW.plusSeconds(120));
        assertThrows(PortalLinks.WideningException.class, () -> links.mint(onlyA, Caller.Scope.READ, Duration.ofMinutes(1), null));
        assertThrows(PortalLinks.WideningException.class,
                () -> links.mint(onlyA, Caller.Scope.READ, Duration.ofMinutes(1), Set.of("wh_a", "wh_b")));
        assertEquals(NOW.plusSeconds(120), links.mint(onlyA, Caller.Scope.READ, Duration.ofDays(1), Set.of("wh_a")).expiresAt(),
                "a link ends when the token that made it does");
    }
}
