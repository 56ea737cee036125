package com.astra.webhooks.api;

import java.util.List;

/** The list parameters every list route shares: {@code limit} (default 50, capped at 200) and {@code cursor}. */
final class Paging {
    private Paging() {}

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    /** The parameters of a list without filters. */
    static final List<String> PARAMETERS = List.of("limit", "cursor");

    static int limit(ApiRequest request) {
        String raw = request.query("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        long value;
        try {
            if (raw.length() > 18 || !raw.matches("[+-]?[0-9]+")) {
                throw new NumberFormatException();
            }
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            if (raw.matches("[0-9]{19,}")) {
                return MAX_LIMIT; // a huge positive integer is still "above 200"
            }
            throw ApiException.badRequest("validation_error", "limit must be an integer from 1 to 200");
        }
        if (value < 1) {
            throw ApiException.badRequest("validation_error", "limit must be an integer from 1 to 200");
        }
        return (int) Math.min(value, MAX_LIMIT);
    }

    static String cursor(ApiRequest request) {
        String cursor = request.query("cursor");
        return cursor == null || cursor.isEmpty() ? null : cursor;
    }
}
