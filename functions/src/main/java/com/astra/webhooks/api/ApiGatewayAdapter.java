package com.astra.webhooks.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.astra.webhooks.core.Utf8;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The one place that knows API Gateway's payload v2 shapes. */
final class ApiGatewayAdapter {
    private ApiGatewayAdapter() {}

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod()
                : "GET";
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        return new ApiRequest(
                method == null ? "GET" : method.toUpperCase(Locale.ROOT),
                event.getRawPath() == null ? "/" : event.getRawPath(),
                event.getRouteKey() == null ? "$default" : event.getRouteKey(),
                event.getPathParameters() == null ? Map.of() : event.getPathParameters(),
                event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(),
                headers,
                body(event));
    }

    static APIGatewayV2HTTPResponse toResponse(ApiResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null || !event.getIsBase64Encoded()) {
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
}
