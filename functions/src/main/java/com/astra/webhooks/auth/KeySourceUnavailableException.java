package com.astra.webhooks.auth;

/**
 * The JWKS endpoint could not be reached or returned garbage, so the token could not be checked
 * at all. It is an {@link UnauthorizedException} so that a handler that only knows about 401
 * still fails closed; a handler that catches this first can answer 503 instead, which tells
 * clients to retry rather than to fetch a new token.
 */
public class KeySourceUnavailableException extends UnauthorizedException {

    public KeySourceUnavailableException() {
        super("signing keys unavailable");
    }
}
