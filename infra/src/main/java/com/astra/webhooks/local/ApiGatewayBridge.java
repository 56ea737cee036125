package com.astra.webhooks.local;

import com.astra.webhooks.core.Utf8;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

/**
 * Stands in for API Gateway's HTTP API: turns a request into a payload-v2 event, invokes the
 * routed handler, and writes its response back. Handler failures become the contract's 500
 * without any detail reaching the client.
 */
final class ApiGatewayBridge implements HttpHandler {

    /** API Gateway refuses payloads above 10 MB before any Lambda runs. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String INTERNAL_ERROR = "{\"error\":{\"code\":\"internal_error\",\"message\":\"internal error\",\"details\":[]}}";
    private static final String NOT_FOUND = "{\"error\":{\"code\":\"not_found\",\"message\":\"no route for this path\",\"details\":[]}}";
    private static final String TOO_LARGE =
            "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"request body exceeds 10 MB\",\"details\":[]}}";

    private final HttpApiRouter router;
    private final TemplateModel template;
    private final LambdaHandlers handlers;

    ApiGatewayBridge(HttpApiRouter router, TemplateModel template, LambdaHandlers handlers) {
        this.router = router;
        this.template = template;
        this.handlers = handlers;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
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
            APIGatewayV2HTTPEvent event = toEvent(exchange, match.get(), body);
            APIGatewayV2HTTPResponse response;
            try {
                var route = match.get().route();
                response = (APIGatewayV2HTTPResponse) handlers.invoke(route.handler(), event,
                        new LocalContext(template.function(route.functionName())));
            } catch (Throwable t) {
                System.err.println("[astra-local] " + method + " " + rawPath + " failed in "
                        + match.get().route().handler());
                t.printStackTrace();
                send(exchange, 500, jsonHeaders(), INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8));
                return;
            }
            writeResponse(exchange, response);
        }
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, HttpApiRouter.Match match, byte[] body) {
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
        Instant now = Instant.now();
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(exchange.getRequestMethod().toUpperCase(Locale.ROOT))
                .withPath(uri.getRawPath())
                .withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", ""))
                .build();
        String host = headers.getOrDefault("host", "localhost");
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(match.route().routeKey())
                .withAccountId("000000000000")
                .withApiId("local")
                .withDomainName(host)
                .withDomainPrefix(host.split("[.:]")[0])
                .withStage("$default")
                .withRequestId(UUID.randomUUID().toString())
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .withHttp(http)
                .build();
        var event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(uri.getRawPath())
                .withRawQueryString(rawQuery)
                .withHeaders(headers)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withQueryStringParameters(queryParameters(rawQuery))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withRequestContext(context)
                .build();
        if (body.length > 0) {
            String text = utf8(body);
            event.setBody(text != null ? text : Base64.getEncoder().encodeToString(body));
            event.setIsBase64Encoded(text == null);
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

    private static void writeResponse(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response == null) {
            send(exchange, 500, jsonHeaders(), INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8));
            System.err.println("[astra-local] handler returned null for " + exchange.getRequestURI());
            return;
        }
        var out = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> { if (v != null) out.set(k, v); });
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, vs) -> { if (vs != null) vs.forEach(v -> out.add(k, v)); });
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> out.add("Set-Cookie", c));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        send(exchange, status, Map.of(), bytes);
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
