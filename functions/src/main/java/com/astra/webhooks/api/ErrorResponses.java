package com.astra.webhooks.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's error body; the only way the API says no. Public for the local runner, whose
 * stand-in for API Gateway answers its own 404 (no route) and 413 (body over 10 MB) in this shape.
 */
public final class ErrorResponses {
    private ErrorResponses() {}

    /** The body of an error without details, e.g. {@code {"error":{"code":"not_found",...}}}. */
    public static String body(String code, String message) {
        return of(0, code, message, List.of(), Map.of()).body();
    }

    static ApiResponse of(ApiException e) {
        return of(e.status(), e.code(), e.getMessage(), e.details(), Map.of());
    }

    static ApiResponse unauthorized(String message) {
        return of(401, "unauthorized", message, List.of(), Map.of("www-authenticate", "Bearer"));
    }

    static ApiResponse internalError() {
        return of(500, "internal_error", "internal error; it has been logged", List.of(), Map.of());
    }

    static ApiResponse of(int status, String code, String message, List<Map<String, Object>> details,
            Map<String, String> extraHeaders) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("details", details);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("content-type", "application/json");
        ApiResponse json = ApiResponse.json(status, Map.of("error", error));
        return new ApiResponse(status, headers, json.body());
    }
}
