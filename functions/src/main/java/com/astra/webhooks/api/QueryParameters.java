package com.astra.webhooks.api;

import com.astra.webhooks.core.Text;
import java.util.List;

/**
 * A read route's query parameters are its whole vocabulary: one it does not know is a 400, never
 * ignored (a misspelt filter, {@code ?outcome=delivered} on a route without one, would otherwise
 * answer an unfiltered list that looks filtered).
 */
final class QueryParameters {
    private QueryParameters() {}

    static void only(ApiRequest request, List<String> known) {
        for (String name : request.queryParameters().keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest("validation_error", "unknown query parameter " + Text.printable(name)
                        + (known.isEmpty() ? "; this route takes none" : "; use " + String.join(", ", known)));
            }
        }
    }
}
