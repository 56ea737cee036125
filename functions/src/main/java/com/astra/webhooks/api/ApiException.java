package com.astra.webhooks.api;

import java.util.List;
import java.util.Map;

/**
 * A request the API refuses, answered in the contract's error shape
 * {@code {"error": {"code", "message", "details"}}}. The message is for humans; the code is
 * for programs.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<Map<String, Object>> details;

    public ApiException(int status, String code, String message, List<Map<String, Object>> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : details;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message, List.of());
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, List.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Map<String, Object>> details() {
        return details;
    }
}
