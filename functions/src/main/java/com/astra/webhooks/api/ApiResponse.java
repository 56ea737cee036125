package com.astra.webhooks.api;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.Text;
import java.util.Map;

/** Status, headers and a JSON (or empty) body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

    /** A refusal may quote a lone surrogate from the request, which a UTF-8 body cannot hold. */
    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, JSON_HEADERS, Text.wellFormed(Json.write(value)));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }
}
