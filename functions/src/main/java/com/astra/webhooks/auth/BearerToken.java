package com.astra.webhooks.auth;

import com.astra.webhooks.core.RequestLimits;
import java.util.Locale;

/** Pulls the token out of an {@code Authorization} header value (RFC 6750 section 2.1). */
final class BearerToken {
    private BearerToken() {}

    static String extract(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            throw new UnauthorizedException("missing bearer token");
        }
        String value = headerValue.strip();
        int space = indexOfWhitespace(value);
        if (space < 0) {
            throw new UnauthorizedException("malformed authorization header");
        }
        // The auth scheme is case-insensitive per RFC 7235.
        String scheme = value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new UnauthorizedException("missing bearer token");
        }
        String token = value.substring(space).strip();
        if (token.isEmpty() || indexOfWhitespace(token) >= 0) {
            throw new UnauthorizedException("malformed authorization header");
        }
        if (token.length() > RequestLimits.BEARER_TOKEN_CHARS) {
            throw new UnauthorizedException("token too large");
        }
        return token;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
