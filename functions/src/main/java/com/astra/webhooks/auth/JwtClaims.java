package com.astra.webhooks.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A JWT's claims set with the registered claims typed as RFC 7519 section 4.1 has them:
 * {@code iss}, {@code sub} and {@code jti} strings, {@code aud} a string or a list of strings,
 * {@code exp}, {@code nbf} and {@code iat} numbers of seconds. A claim of another type makes the
 * token malformed, whether or not it is checked.
 */
final class JwtClaims {

    /** NumericDate values beyond this many seconds (about three million years) are held at it, so adding a skew never overflows. */
    private static final long MAX_SECONDS = 100_000_000_000_000L;

    private final Map<String, Object> claims;
    private final Instant expiresAt;
    private final Instant notBefore;
    private final Instant issuedAt;
    private final List<String> audience;

    private JwtClaims(Map<String, Object> claims) {
        this.claims = claims;
        for (String name : List.of("iss", "sub", "jti")) {
            if (claims.get(name) != null && !(claims.get(name) instanceof String)) {
                throw CompactJws.malformed();
            }
        }
        this.expiresAt = time(claims.get("exp"));
        this.notBefore = time(claims.get("nbf"));
        this.issuedAt = time(claims.get("iat"));
        this.audience = audience(claims.get("aud"));
    }

    static JwtClaims of(Map<String, Object> claims) {
        return new JwtClaims(claims);
    }

    /** Any claim as read from JSON (String, Number, Boolean, List, Map), or null. */
    Object claim(String name) {
        return claims.get(name);
    }

    String issuer() {
        return (String) claims.get("iss");
    }

    String subject() {
        return (String) claims.get("sub");
    }

    /** Empty when the token names no audience. */
    List<String> audience() {
        return audience;
    }

    /** Null when absent, as for the other times. */
    Instant expiresAt() {
        return expiresAt;
    }

    Instant notBefore() {
        return notBefore;
    }

    Instant issuedAt() {
        return issuedAt;
    }

    private static Instant time(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n) || (value instanceof Double d && !Double.isFinite(d))) {
            throw CompactJws.malformed();
        }
        // Whole seconds, as JWT libraries read them (a fraction is dropped).
        // Compared as a double first: longValue() of a huge BigInteger wraps around.
        double approx = n.doubleValue();
        long seconds = approx >= MAX_SECONDS ? MAX_SECONDS : approx <= -MAX_SECONDS ? -MAX_SECONDS : n.longValue();
        return Instant.ofEpochSecond(seconds);
    }

    private static List<String> audience(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw CompactJws.malformed();
        }
        for (Object o : list) {
            if (!(o instanceof String)) {
                throw CompactJws.malformed();
            }
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) list;
        return List.copyOf(strings);
    }
}
