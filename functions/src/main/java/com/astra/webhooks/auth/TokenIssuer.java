package com.astra.webhooks.auth;

import com.astra.webhooks.model.Tenants;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Mints HS256 tokens for the local runner's {@code token} command and for tests. */
public final class TokenIssuer {
    private TokenIssuer() {}

    /**
     * @param secret the raw shared secret (same bytes {@link TokenVerifier} uses; any length)
     * @param tenant becomes the {@code sub} claim
     * @param ttl positive lifetime; {@code exp = iat + ttl}
     */
    public static String issueHs256(String secret, String tenant, Duration ttl) {
        if (!Tenants.isValid(tenant)) {
            throw new IllegalArgumentException("tenant must be " + Tenants.RULE);
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        // JWT times are whole seconds; truncate so exp - iat is exactly the ttl.
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(tenant)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        return sign(secret, claims);
    }

    /** Signs arbitrary claims with HS256; package-private so tests can craft edge cases. */
    static String sign(String secret, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new Hs256(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return jwt.serialize();
    }
}
