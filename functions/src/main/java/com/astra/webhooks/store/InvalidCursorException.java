package com.astra.webhooks.store;

/** A cursor that this store did not issue for this tenant and this query. Answered with a 400. */
public class InvalidCursorException extends RuntimeException {
    public InvalidCursorException(String message) {
        super(message);
    }
}
