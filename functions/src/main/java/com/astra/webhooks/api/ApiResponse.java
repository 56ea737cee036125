package com.astra.webhooks.api;

import com.astra.webhooks.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Status, headers and a JSON (or empty) body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, JSON_HEADERS, wellFormed(Json.write(value)));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    /**
     * A refusal may quote what it refused, and a request's JSON can carry a lone UTF-16
     * surrogate, which no UTF-8 body can hold: the round trip through UTF-8 turns each into '?'
     * and keeps every well-formed pair.
     */
    private static String wellFormed(String text) {
        return text.chars().noneMatch(c -> Character.isSurrogate((char) c)) ? text
                : new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
