package com.astra.webhooks.local;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints the HS256 bearer tokens the handlers accept, for the banner, the CLI and tests. */
public final class Tokens {

    public static final String DEFAULT_SECRET = "local-dev-secret";

    private Tokens() {}

    /**
     * Signed by hand rather than with nimbus' MACSigner, which refuses secrets shorter than
     * 256 bits, and the documented local default is shorter than that.
     */
    public static String mint(String tenant, String secret, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(tenant)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
        Base64URL encodedHeader = header.toBase64URL();
        Base64URL encodedClaims = Base64URL.encode(claims.toString());
        String signingInput = encodedHeader + "." + encodedClaims;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            Base64URL signature = Base64URL.encode(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
            return new SignedJWT(encodedHeader, encodedClaims, signature).serialize();
        } catch (GeneralSecurityException | ParseException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** "24h", "30m", "90s", "7d", or ISO-8601 ("PT1H"). */
    public static Duration parseTtl(String text) {
        String t = text.trim().toLowerCase();
        if (t.startsWith("p")) {
            return Duration.parse(text.trim().toUpperCase());
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("bad ttl " + text + " (use e.g. 24h, 30m, 7d)");
        };
    }
}
