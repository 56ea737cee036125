package com.astra.webhooks.api;

import java.util.Map;

/**
 * An HTTP API request as the handlers see it, free of API Gateway types. Header names are
 * lower case; {@code body} is the decoded text (null when absent).
 */
public record ApiRequest(
        String method,
        String path,
        String routeKey,
        Map<String, String> pathParameters,
        Map<String, String> queryParameters,
        Map<String, String> headers,
        String body) {

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public String query(String name) {
        return queryParameters.get(name);
    }
}
