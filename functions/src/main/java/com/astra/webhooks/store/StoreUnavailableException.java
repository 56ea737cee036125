package com.astra.webhooks.store;

/**
 * A store call failed in a way that says "not now" rather than "no": throttled, a server error,
 * the network, or the call's time ran out, each after the client's own retries. Nothing about
 * the request was wrong; the API answers 503 with Retry-After, the dispatcher hands the message
 * back.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
