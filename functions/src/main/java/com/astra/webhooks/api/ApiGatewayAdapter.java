package com.astra.webhooks.api;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one place that knows API Gateway's payload v2.0 shapes. The JSON is read and written here
 * with jackson-jr rather than by the Lambda runtime's own event mapping (Jackson databind with
 * its mix-ins), which costs a first request about 1,300 classes and half a second that no
 * SnapStart warm-up reaches, since the runtime maps the event before the handler runs.
 */
final class ApiGatewayAdapter {
    private ApiGatewayAdapter() {}

    static ApiRequest toRequest(InputStream event) throws IOException {
        return toRequest(Json.parseObject(new String(event.readAllBytes(), StandardCharsets.UTF_8)));
    }

    static ApiRequest toRequest(Map<String, Object> event) {
        Object http = object(event.get("requestContext")).get("http");
        Object method = object(http).get("method");
        Map<String, String> headers = new HashMap<>();
        strings(event.get("headers")).forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Object rawPath = event.get("rawPath");
        Object routeKey = event.get("routeKey");
        return new ApiRequest(
                method == null ? "GET" : String.valueOf(method).toUpperCase(Locale.ROOT),
                rawPath == null ? "/" : String.valueOf(rawPath),
                routeKey == null ? "$default" : String.valueOf(routeKey),
                strings(event.get("pathParameters")),
                strings(event.get("queryStringParameters")),
                headers,
                body(event));
    }

    /** A payload v2.0 response: API Gateway reads statusCode, headers and body. */
    static void write(ApiResponse response, OutputStream out) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("statusCode", response.status());
        json.put("headers", response.headers());
        json.put("body", response.body());
        json.put("isBase64Encoded", false);
        out.write(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    private static String body(Map<String, Object> event) {
        Object value = event.get("body");
        if (value == null) {
            return null;
        }
        String body = String.valueOf(value);
        if (!Boolean.TRUE.equals(event.get("isBase64Encoded"))) {
            return body;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_body", "request body is not valid base64");
        }
        // API Gateway base64-encodes bodies it cannot treat as text; we only take UTF-8 JSON.
        return Utf8.decode(bytes).orElseThrow(
                () -> ApiException.badRequest("invalid_body", "request body is not UTF-8 text"));
    }

    private static Map<?, ?> object(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    /** API Gateway's string maps (headers, path and query parameters); null values are left out. */
    private static Map<String, String> strings(Object value) {
        return Json.stringMembers(value);
    }
}
