package com.astra.webhooks.api;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.RequestLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Turns a request body into a JSON object, or says precisely why not (413, 415, 400). */
final class RequestBodies {
    private RequestBodies() {}

    static Map<String, Object> jsonObject(ApiRequest request) {
        String body = request.body();
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > RequestLimits.BODY_BYTES) {
            throw new ApiException(413, "payload_too_large", "request body is larger than " + RequestLimits.BODY_BYTES / 1024 + " KiB", null);
        }
        String contentType = request.header("content-type");
        if (contentType == null || !isJson(contentType)) {
            throw new ApiException(415, "unsupported_media_type",
                    "send the body as JSON with Content-Type: application/json", null);
        }
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("invalid_json", "request body must be a JSON object");
        }
        try {
            return Json.parseObject(body);
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("invalid_json", "request body must be a JSON object");
        }
    }

    /** An optional body: none (or blank) is an empty object; anything else must be a JSON object. */
    static Map<String, Object> optionalJsonObject(ApiRequest request) {
        String body = request.body();
        return body == null || body.isBlank() ? Map.of() : jsonObject(request);
    }

    /** An endpoint that takes no body accepts an empty one, or an empty JSON object. */
    static void requireEmpty(ApiRequest request) {
        if (!optionalJsonObject(request).isEmpty()) {
            throw ApiException.badRequest("validation_error", "this endpoint takes no fields");
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
