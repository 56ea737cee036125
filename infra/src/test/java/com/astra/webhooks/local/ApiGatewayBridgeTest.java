package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests through the real HTTP server reach the stub handler as API Gateway payload v2 events. */
class ApiGatewayBridgeTest {

    static LocalRunner runner;
    static Http http;

    @BeforeAll
    static void start() {
        runner = StubStack.start();
        http = Http.unchecked(runner.httpUrl());
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static Map<String, Object> echo(Http.Response r) throws Exception {
        assertEquals(200, r.status(), r.body());
        return JSON.std.mapFrom(r.body());
    }

    @Test
    void pathQueryAndHeadersLookLikeApiGateway() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runner.httpUrl() + "/webhooks/wh%2F1%20x?a=1&a=2&b=x%20y"))
                .header("X-Custom", "one").header("Authorization", "Bearer t").header("Cookie", "c1=v1; c2=v2").GET().build();
        Http.Response r = http.send(request);
        Map<String, Object> e = echo(r);
        assertEquals("WebhooksFunction", e.get("function"));
        assertEquals("2.0", e.get("version"));
        assertEquals("GET /webhooks/{id}", e.get("routeKey"));
        assertEquals("GET /webhooks/{id}", e.get("contextRouteKey"));
        assertEquals("/webhooks/wh%2F1%20x", e.get("rawPath"));
        assertEquals("a=1&a=2&b=x%20y", e.get("rawQueryString"));
        assertEquals(Map.of("id", "wh/1 x"), e.get("pathParameters"));
        assertEquals(Map.of("a", "1,2", "b", "x y"), e.get("queryStringParameters"));
        @SuppressWarnings("unchecked") Map<String, Object> headers = (Map<String, Object>) e.get("headers");
        assertEquals("one", headers.get("x-custom"));
        assertEquals("Bearer t", headers.get("authorization"));
        assertFalse(headers.containsKey("cookie"));
        assertEquals(List.of("c1=v1", "c2=v2"), e.get("cookies"));
        assertEquals("GET", e.get("method"));
        assertEquals("$default", e.get("stage"));
        assertEquals("127.0.0.1", e.get("sourceIp"));
        assertEquals("HTTP/1.1", e.get("protocol"));
        assertTrue(((Number) e.get("timeEpoch")).longValue() > 0);
        assertNull(e.get("body"));
        assertEquals("application/json", r.header("Content-Type").orElseThrow());
        assertEquals(List.of(), r.headers().allValues("X-Multi"), "payload v2.0 has no multiValueHeaders");
    }

    @Test
    void literalSegmentBeatsParameter() throws Exception {
        Map<String, Object> e = echo(http.get("/webhooks/test-mode", "t"));
        assertEquals("TestModeFunction", e.get("function"));
        assertEquals("GET /webhooks/test-mode", e.get("routeKey"));
        assertNull(e.get("pathParameters"));
    }

    @Test
    void unmatchedPathsAndMethodsGoToDefault() throws Exception {
        Map<String, Object> e = echo(http.get("/nowhere/at/all", "t"));
        assertEquals("$default", e.get("routeKey"));
        assertEquals("WebhooksFunction", e.get("function"));
        assertEquals("$default", echo(http.delete("/webhooks/test-mode", "t")).get("routeKey"));
        assertEquals("$default", echo(http.send("PATCH", "/webhooks", "t", "{}")).get("routeKey"));
    }

    @Test
    void textBodyIsPassedAsIsAndBinaryAsBase64() throws Exception {
        Map<String, Object> text = echo(http.post("/webhooks", "t", "{\"url\":\"http://x\",\"note\":\"héllo\"}"));
        assertEquals("{\"url\":\"http://x\",\"note\":\"héllo\"}", text.get("body"));
        assertEquals(false, text.get("isBase64Encoded"));

        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2};
        Http.Response r = http.send(HttpRequest.newBuilder(URI.create(runner.httpUrl() + "/webhooks"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(binary)).build());
        Map<String, Object> e = echo(r);
        assertEquals(true, e.get("isBase64Encoded"));
        assertEquals(Base64.getEncoder().encodeToString(binary), e.get("body"));
    }

    @Test
    void handlerFailureIsApiGateways502() {
        Http.Response r = http.get("/webhooks/boom", "t");
        assertEquals(502, r.status());
        assertEquals("{\"message\":\"Internal Server Error\"}", r.body());
        assertFalse(r.body().contains("secret stack detail"));
    }

    @Test
    void missingHandlerClassIsA502() {
        Http.Response r = http.get("/missing", "t");
        assertEquals(502, r.status());
        assertEquals(ApiGatewayBridge.BAD_GATEWAY, r.body());
    }

    @Test
    void constructorThatThrowsIsAnInitErrorThatLeavesTheRunnerServing() throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            Http.Response r = http.get("/broken", "t");
            assertEquals(502, r.status());
            assertEquals(ApiGatewayBridge.BAD_GATEWAY, r.body());
            assertFalse(r.body().contains("constructor detail"));
        }
        assertEquals(2, StubBrokenHandler.attempts(), "every invoke after an init error tries init again, as Lambda does");
        assertEquals("WebhooksFunction", echo(http.get("/webhooks/fine", "t")).get("function"));
    }

    @Test
    void bodiesOverTenMegabytesAreRefused() {
        byte[] big = new byte[ApiGatewayBridge.MAX_BODY_BYTES + 1];
        Http.Response r = http.send(HttpRequest.newBuilder(URI.create(runner.httpUrl() + "/webhooks"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertEquals(413, r.status());
        assertTrue(r.body().startsWith("{\"error\":{\"code\":"), r.body());
    }
}
