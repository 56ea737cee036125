package com.astra.webhooks.local;

import com.astra.webhooks.api.ErrorResponses;
import com.astra.webhooks.core.Utf8;
import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stands in for API Gateway's HTTP API: turns a request into the payload v2.0 JSON, invokes the
 * routed function with it, and reads its JSON response back by API Gateway's rules. A failed
 * invoke is API Gateway's 502 without any detail reaching the client. An invoke is cut off at the
 * function's {@code Timeout} (a failed invoke) or at API Gateway's 30 s integration timeout,
 * whichever comes first; the latter is HTTP API's 503 {@code {"message":"Service Unavailable"}}.
 */
final class ApiGatewayBridge implements HttpHandler {

    /** API Gateway refuses payloads above 10 MB before any Lambda runs. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** What API Gateway answers when the function fails or its response is malformed. */
    static final String BAD_GATEWAY = "{\"message\":\"Internal Server Error\"}";
    private static final Object MALFORMED = new Object();
    private static final String NOT_FOUND = ErrorResponses.body("not_found", "no route for this path");
    private static final String TOO_LARGE = ErrorResponses.body("payload_too_large", "request body exceeds 10 MB");
    /**
     * HTTP API's quota on the "total combined size of request line and header values" (not
     * adjustable). Counted here with the header names too, and a comma between the values of a
     * repeated header: never more lenient than the quota.
     */
    static final int MAX_HEAD_BYTES = 10240;
    private static final String HEAD_TOO_LARGE = ErrorResponses.body("request_header_fields_too_large",
            "the request line and headers exceed " + MAX_HEAD_BYTES + " bytes");

    /** HTTP APIs wait at most 30 s for an integration, whatever the function's own Timeout. */
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    /** What an HTTP API answers when its integration runs past that: 503, this body. */
    static final String SERVICE_UNAVAILABLE = "{\"message\":\"Service Unavailable\"}";

    private final HttpApiRouter router;
    private final LambdaHandlers functions;
    private final Duration integrationTimeout;
    private final ExecutorService invocations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "astra-local-invoke");
        t.setDaemon(true);
        return t;
    });

    ApiGatewayBridge(HttpApiRouter router, LambdaHandlers functions) {
        this(router, functions, INTEGRATION_TIMEOUT);
    }

    /** {@code integrationTimeout}: API Gateway's limit; only tests shorten it, to see it act without waiting 30 s. */
    ApiGatewayBridge(HttpApiRouter router, LambdaHandlers functions, Duration integrationTimeout) {
        this.router = router;
        this.functions = functions;
        this.integrationTimeout = integrationTimeout;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (headBytes(exchange) > MAX_HEAD_BYTES) {
                exchange.getRequestBody().readAllBytes();
                send(exchange, 431, jsonHeaders(), HEAD_TOO_LARGE.getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, jsonHeaders(), TOO_LARGE.getBytes(StandardCharsets.UTF_8));
                return;
            }
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            var match = router.match(method, rawPath);
            if (match.isEmpty()) {
                send(exchange, 404, jsonHeaders(), NOT_FOUND.getBytes(StandardCharsets.UTF_8));
                return;
            }
            String functionName = match.get().route().functionName();
            byte[] event = JSON.std.asBytes(toEvent(exchange, match.get(), body));
            Duration functionTimeout = Duration.ofSeconds(functions.timeoutSeconds(functionName));
            boolean gatewayFirst = integrationTimeout.compareTo(functionTimeout) < 0;
            Future<byte[]> invocation = invocations.submit(() -> functions.invoke(functionName, event));
            byte[] result;
            try {
                result = invocation.get(gatewayFirst ? integrationTimeout.toMillis() : functionTimeout.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Cut off as Lambda and API Gateway cut it off: the handler's thread is interrupted
                // and its answer, if it ever comes, goes nowhere.
                invocation.cancel(true);
                if (gatewayFirst) {
                    System.err.println("[astra-local] " + method + " " + rawPath + ": no answer from " + functionName
                            + " within API Gateway's " + integrationTimeout.toSeconds() + " s integration timeout");
                    send(exchange, 503, jsonHeaders(), SERVICE_UNAVAILABLE.getBytes(StandardCharsets.UTF_8));
                } else {
                    System.err.println("[astra-local] " + method + " " + rawPath + ": " + functionName
                            + " timed out after its Timeout of " + functionTimeout.toSeconds() + " s");
                    send(exchange, 502, jsonHeaders(), BAD_GATEWAY.getBytes(StandardCharsets.UTF_8));
                }
                return;
            } catch (ExecutionException e) {
                // API Gateway answers a failed invoke with 502 and this body; the detail stays in the log
                System.err.println("[astra-local] " + method + " " + rawPath + ": " + e.getCause().getMessage());
                send(exchange, 502, jsonHeaders(), BAD_GATEWAY.getBytes(StandardCharsets.UTF_8));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                invocation.cancel(true);
                return;
            }
            writeResponse(exchange, result);
        }
    }

    /** The request line's and the headers' bytes as they came (ISO-8859-1: one byte a char). */
    static long headBytes(HttpExchange exchange) {
        var uri = exchange.getRequestURI();
        long size = exchange.getRequestMethod().length() + 1 + uri.getRawPath().length()
                + (uri.getRawQuery() == null ? 0 : 1 + uri.getRawQuery().length()) + 1 + exchange.getProtocol().length();
        for (var header : exchange.getRequestHeaders().entrySet()) {
            size += header.getKey().length() + header.getValue().stream().mapToLong(String::length).sum()
                    + Math.max(0, header.getValue().size() - 1);
        }
        return size;
    }

    /** The payload v2.0 JSON API Gateway sends to the function, as a tree. */
    static Map<String, Object> toEvent(HttpExchange exchange, HttpApiRouter.Match match, byte[] body) {
        var uri = exchange.getRequestURI();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                // payload v2 moves cookies out of the headers into their own list
                values.forEach(v -> List.of(v.split(";")).forEach(c -> cookies.add(c.trim())));
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        // API Gateway sets this (https there); links the API hands out must name the runner's scheme.
        headers.put("x-forwarded-proto", "http");
        Instant now = Instant.now();
        String host = headers.getOrDefault("host", "localhost");
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", uri.getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("domainName", host);
        context.put("domainPrefix", host.split("[.:]")[0]);
        context.put("http", http);
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", match.route().routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", uri.getRawPath());
        event.put("rawQueryString", rawQuery);
        if (!cookies.isEmpty()) {
            event.put("cookies", cookies);
        }
        event.put("headers", headers);
        Map<String, String> query = queryParameters(rawQuery);
        if (query != null) {
            event.put("queryStringParameters", query);
        }
        event.put("requestContext", context);
        if (!match.pathParameters().isEmpty()) {
            event.put("pathParameters", match.pathParameters());
        }
        if (body.length > 0) {
            String text = utf8(body);
            event.put("body", text != null ? text : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", text == null);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /** Repeated names are comma-joined, as API Gateway does for payload v2. */
    static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params.isEmpty() ? null : params;
    }

    /**
     * Payload v2.0 response rules: an object with {@code statusCode} is a response (its headers,
     * cookies and body; v2.0 has no multi-value headers); any other valid JSON is a 200 body of
     * type application/json; anything else is a malformed response, a 502.
     */
    private static void writeResponse(HttpExchange exchange, byte[] result) throws IOException {
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(result);
        } catch (IOException | RuntimeException e) {
            parsed = MALFORMED;
        }
        if (!(parsed instanceof Map<?, ?> response) || !response.containsKey("statusCode")) {
            if (parsed == MALFORMED) {
                System.err.println("[astra-local] malformed Lambda response for " + exchange.getRequestURI());
                send(exchange, 502, jsonHeaders(), BAD_GATEWAY.getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 200, jsonHeaders(), result);
            }
            return;
        }
        if (!(response.get("statusCode") instanceof Number status) || status.intValue() < 100 || status.intValue() > 599) {
            System.err.println("[astra-local] bad statusCode " + response.get("statusCode") + " for " + exchange.getRequestURI());
            send(exchange, 502, jsonHeaders(), BAD_GATEWAY.getBytes(StandardCharsets.UTF_8));
            return;
        }
        var out = exchange.getResponseHeaders();
        if (response.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((k, v) -> { if (v != null) out.set(String.valueOf(k), String.valueOf(v)); });
        }
        if (response.get("cookies") instanceof List<?> cookies) {
            cookies.forEach(c -> out.add("Set-Cookie", String.valueOf(c)));
        }
        Object body = response.get("body");
        byte[] bytes = body == null ? new byte[0]
                : Boolean.TRUE.equals(response.get("isBase64Encoded")) ? Base64.getDecoder().decode(body.toString())
                : body.toString().getBytes(StandardCharsets.UTF_8);
        send(exchange, status.intValue(), Map.of(), bytes);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            exchange.getResponseBody().write(body);
        }
    }

    private static Map<String, String> jsonHeaders() {
        return Map.of("Content-Type", "application/json");
    }

    /** The body, or null if it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return null;
        }
        return body;
    }

    private static String utf8(byte[] bytes) {
        return Utf8.decode(bytes).orElse(null);
    }
}
