package com.astra.webhooks.auth;

/**
 * The request carries no usable credentials; handlers answer 401 with
 * {@code WWW-Authenticate: Bearer}.
 *
 * <p>The message is short and fixed ("token expired", "invalid signature", ...) so it is safe to
 * log or return. It never contains the token, and no cause is attached on purpose: parser
 * exceptions from the JWT library can quote fragments of the token they failed on.
 */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
