package com.astra.webhooks.core.filter;

/**
 * A filter that breaks a rule of the filter language. {@code path} is where, written from the
 * field's name down ({@code filter.$and[1].data.run.status.$gt}), so the client can find it.
 */
public final class InvalidFilterException extends RuntimeException {

    private final String path;

    public InvalidFilterException(String path, String message) {
        super(message);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
