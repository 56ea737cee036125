package com.astra.webhooks.api;

import com.astra.webhooks.core.RequestLimits;
import java.util.List;

/** The list parameters every list route shares: {@code limit} (a default, and capped; see {@link RequestLimits}) and {@code cursor}. */
final class Paging {
    private Paging() {}

    /** The parameters of a list without filters. */
    static final List<String> PARAMETERS = List.of("limit", "cursor");

    static int limit(ApiRequest request) {
        String raw = request.query("limit");
        if (raw == null) {
            return RequestLimits.PAGE_SIZE_DEFAULT;
        }
        long value;
        try {
            if (raw.length() > 18 || !raw.matches("[+-]?[0-9]+")) {
                throw new NumberFormatException();
            }
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            if (raw.matches("[0-9]{19,}")) {
                return RequestLimits.PAGE_SIZE_MAX; // a huge positive integer is still above the cap
            }
            throw badLimit();
        }
        if (value < 1) {
            throw badLimit();
        }
        return (int) Math.min(value, RequestLimits.PAGE_SIZE_MAX);
    }

    private static ApiException badLimit() {
        return ApiException.badRequest("validation_error", "limit must be an integer from 1 to " + RequestLimits.PAGE_SIZE_MAX);
    }

    static String cursor(ApiRequest request) {
        String cursor = request.query("cursor");
        return cursor == null || cursor.isEmpty() ? null : cursor;
    }
}
