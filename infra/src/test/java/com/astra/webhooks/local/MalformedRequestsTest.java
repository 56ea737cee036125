package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests against every route, through real HTTP on the runner, written byte for byte
 * on a socket so that odd methods, raw bytes, invalid UTF-8 and huge headers reach the server as
 * sent. Every one must be a 4xx in the contract's error shape, never a 5xx, and must leave the
 * tenant's stored data exactly as it was.
 */
@ExtendWith(AstraLocalExtension.class)
class MalformedRequestsTest {

    private static final String TENANT = "t-" + UUID.randomUUID();
    private static String token;
    private static String webhookId;
    private static String foreignCursor;
    private static String ownWebhooksCursor;
    /** The tenant's data as the API shows it before any malformed request; every rejected request leaves it so. */
    private static Map<String, String> baseline;

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger SERVER_ERRORS = new AtomicInteger();
    private static final Map<Integer, AtomicInteger> BY_STATUS = new ConcurrentHashMap<>();

    /** A request to try; {@code path} and body may contain {@code {id}}, replaced by the fixture webhook's id. */
    record Case(String name, String method, String path, List<String> headers, byte[] body, int expected,
            boolean authenticated, boolean refusedByJdkServer) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void fixture() {
        Http http = AstraLocalExtension.http();
        token = AstraLocalExtension.token(TENANT);
        Http.Response created = http.post("/webhooks", token,
                "{\"url\":\"http://127.0.0.1:9/fixture\",\"events\":[\"agent_completed\"],\"description\":\"fixture\"}");
        assertEquals(201, created.status(), created.body());
        webhookId = (String) WebhookApiTest.json(created).get("id");
        Http.Response second = http.post("/webhooks", token, "{\"url\":\"http://127.0.0.1:9/second\",\"events\":\"*\"}");
        assertEquals(201, second.status(), second.body());
        ownWebhooksCursor = (String) WebhookApiTest.json(http.get("/webhooks?limit=1", token)).get("nextCursor");

        String other = AstraLocalExtension.token("other-" + UUID.randomUUID());
        http.post("/webhooks", other, "{\"url\":\"http://127.0.0.1:9/o1\",\"events\":\"*\"}");
        http.post("/webhooks", other, "{\"url\":\"http://127.0.0.1:9/o2\",\"events\":\"*\"}");
        foreignCursor = (String) WebhookApiTest.json(http.get("/webhooks?limit=1", other)).get("nextCursor");
        assertTrue(ownWebhooksCursor != null && foreignCursor != null, "fixture cursors");
        baseline = snapshot();
    }

    @AfterAll
    static void summary() throws IOException {
        String line = "malformed requests: " + TRIED.get() + " tried, " + SERVER_ERRORS.get() + " answered 5xx;"
                + " by status " + new TreeMap<>(BY_STATUS);
        System.out.println(line);
        java.nio.file.Path file = java.nio.file.Path.of("target", "malformed-requests-summary.txt");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, line + System.lineSeparator());
        assertEquals(0, SERVER_ERRORS.get(), line);
        assertTrue(TRIED.get() >= 60, line);
    }

    // --- the cases ----------------------------------------------------------------------------

    private static final String JSON = "Content-Type: application/json";
    private static final String W = "/webhooks/{id}";

    private static Case c(String name, String method, String path, int expected, String body, String... headers) {
        return new Case(name, method, path, List.of(headers), body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                expected, true, false);
    }

    private static Case raw(String name, String method, String path, int expected, byte[] body, String... headers) {
        return new Case(name, method, path, List.of(headers), body, expected, true, false);
    }

    private static Case anonymous(String name, String method, String path, int expected, String... headers) {
        return new Case(name, method, path, List.of(headers), null, expected, false, false);
    }

    /**
     * A request the runner's JDK HTTP server refuses before any of our code sees it: {@code //webhooks} parses
     * as an authority with an empty path (no context matches: 404), raw non-ASCII bytes in the request line are
     * no URI (400). Its bodies are the JDK's HTML, so only the status is checked. On AWS, API Gateway answers
     * these itself (or routes them to $default, which answers in the error shape).
     */
    private static Case jdkServer(Case c) {
        return new Case(c.name(), c.method(), c.path(), c.headers(), c.body(), c.expected(), c.authenticated(), true);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Bodies that are wrong for both POST /webhooks and PUT /webhooks/{id}. */
    private static List<String[]> badWebhookBodies() {
        String url = "\"url\":\"http://127.0.0.1:9/x\"";
        List<String[]> b = new ArrayList<>();
        b.add(new String[] {"broken JSON", "{\"url\":", "400"});
        b.add(new String[] {"JSON array", "[1,2]", "400"});
        b.add(new String[] {"JSON string", "\"hello\"", "400"});
        b.add(new String[] {"JSON number", "42", "400"});
        b.add(new String[] {"JSON null", "null", "400"});
        b.add(new String[] {"JSON true", "true", "400"});
        b.add(new String[] {"empty body", "", "400"});
        b.add(new String[] {"whitespace body", " \n\t ", "400"});
        b.add(new String[] {"trailing garbage", "{" + url + ",\"events\":\"*\"} x", "400"});
        b.add(new String[] {"two documents", "{\"enabled\":true}{\"enabled\":false}", "400"});
        b.add(new String[] {"duplicate keys", "{" + url + "," + url + ",\"events\":\"*\"}", "400"});
        b.add(new String[] {"single quotes", "{'url':'http://127.0.0.1:9/x','events':'*'}", "400"});
        b.add(new String[] {"comment", "{/*c*/" + url + ",\"events\":\"*\"}", "400"});
        b.add(new String[] {"NaN", "{" + url + ",\"events\":\"*\",\"enabled\":NaN}", "400"});
        b.add(new String[] {"unknown field", "{" + url + ",\"events\":\"*\",\"colour\":\"red\"}", "400"});
        b.add(new String[] {"unknown field with control characters", "{" + url + ",\"events\":\"*\",\"a\\u0000\\u001b[31m\":1}", "400"});
        b.add(new String[] {"url a number", "{\"url\":123,\"events\":\"*\"}", "400"});
        b.add(new String[] {"url an object", "{\"url\":{\"href\":\"http://127.0.0.1:9/\"},\"events\":\"*\"}", "400"});
        b.add(new String[] {"url null", "{\"url\":null,\"events\":\"*\"}", "400"});
        b.add(new String[] {"url 2049 characters", "{\"url\":\"http://127.0.0.1:9/" + "a".repeat(2049 - "http://127.0.0.1:9/".length()) + "\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url with NUL", "{\"url\":\"http://127.0.0.1:9/\\u0000\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url with CRLF", "{\"url\":\"http://127.0.0.1:9/\\r\\nX-Injected: 1\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url file scheme", "{\"url\":\"file:///etc/passwd\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url javascript scheme", "{\"url\":\"javascript:alert(1)\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url relative", "{\"url\":\"/hooks\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url with user-info", "{\"url\":\"http://user:pw@127.0.0.1:9/\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url with lone surrogate", "{\"url\":\"http://127.0.0.1:9/\\ud800\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"url port 99999", "{\"url\":\"http://127.0.0.1:99999/\",\"events\":\"*\"}", "400"});
        b.add(new String[] {"events a number", "{" + url + ",\"events\":7}", "400"});
        b.add(new String[] {"events null", "{" + url + ",\"events\":null}", "400"});
        b.add(new String[] {"events empty", "{" + url + ",\"events\":[]}", "400"});
        b.add(new String[] {"events with a non-string", "{" + url + ",\"events\":[\"agent_completed\",1]}", "400"});
        b.add(new String[] {"events duplicated", "{" + url + ",\"events\":[\"agent_completed\",\"agent_completed\"]}", "400"});
        b.add(new String[] {"events unknown", "{" + url + ",\"events\":[\"agent.exploded\"]}", "400"});
        b.add(new String[] {"events star and more", "{" + url + ",\"events\":[\"*\",\"agent_completed\"]}", "400"});
        b.add(new String[] {"events 51 names", "{" + url + ",\"events\":[" + String.join(",",
                java.util.Collections.nCopies(51, "\"agent_completed\"")) + "]}", "400"});
        b.add(new String[] {"events nested list", "{" + url + ",\"events\":[[\"agent_completed\"]]}", "400"});
        b.add(new String[] {"enabled a string", "{" + url + ",\"events\":\"*\",\"enabled\":\"yes\"}", "400"});
        b.add(new String[] {"enabled null", "{" + url + ",\"events\":\"*\",\"enabled\":null}", "400"});
        b.add(new String[] {"description a number", "{" + url + ",\"events\":\"*\",\"description\":5}", "400"});
        b.add(new String[] {"description 1025 characters", "{" + url + ",\"events\":\"*\",\"description\":\"" + "d".repeat(1025) + "\"}", "400"});
        b.add(new String[] {"description with control characters", "{" + url + ",\"events\":\"*\",\"description\":\"a\\u0007\\u001b[2J\"}", "400"});
        b.add(new String[] {"description with lone surrogate", "{" + url + ",\"events\":\"*\",\"description\":\"\\udc00x\"}", "400"});
        b.add(new String[] {"description with bidi override", "{" + url + ",\"events\":\"*\",\"description\":\"abc\\u202Eevil\"}", "400"});
        b.add(new String[] {"deeply nested arrays", "[".repeat(20_000), "400"});
        b.add(new String[] {"deeply nested objects", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), "400"});
        b.add(new String[] {"number with 5000 digits", "{" + url + ",\"events\":\"*\",\"enabled\":" + "9".repeat(5000) + "}", "400"});
        b.add(new String[] {"body over 64 KiB", "{" + url + ",\"events\":\"*\",\"description\":\"" + "x".repeat(70_000) + "\"}", "413"});
        return b;
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String[] b : badWebhookBodies()) {
            cases.add(c("POST /webhooks: " + b[0], "POST", "/webhooks", Integer.parseInt(b[2]), b[1], JSON));
            cases.add(c("PUT /webhooks/{id}: " + b[0], "PUT", W, Integer.parseInt(b[2]), b[1], JSON));
        }
        String valid = "{\"url\":\"http://127.0.0.1:9/x\",\"events\":\"*\"}";
        String validUpdate = "{\"enabled\":false,\"url\":\"http://127.0.0.1:9/changed\"}";

        // Bodies that are not UTF-8 JSON, sizes past API Gateway's limit, content types.
        byte[] invalidUtf8 = {'{', '"', 'u', 'r', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        cases.add(raw("POST /webhooks: invalid UTF-8", "POST", "/webhooks", 400, invalidUtf8, JSON));
        cases.add(raw("PUT /webhooks/{id}: invalid UTF-8", "PUT", W, 400, invalidUtf8, JSON));
        cases.add(raw("POST /webhooks: UTF-16 body", "POST", "/webhooks", 400, valid.getBytes(StandardCharsets.UTF_16), JSON));
        cases.add(raw("PUT /webhooks/{id}: raw NUL bytes", "PUT", W, 400, new byte[] {'{', 0, 0, '}'}, JSON));
        cases.add(raw("POST /webhooks: body over 10 MB", "POST", "/webhooks", 413, new byte[10 * 1024 * 1024 + 1], JSON));
        cases.add(c("POST /webhooks: no content type", "POST", "/webhooks", 415, valid));
        cases.add(c("POST /webhooks: text/plain", "POST", "/webhooks", 415, valid, "Content-Type: text/plain"));
        cases.add(c("POST /webhooks: form encoded", "POST", "/webhooks", 415, "url=http://127.0.0.1:9/x&events=*",
                "Content-Type: application/x-www-form-urlencoded"));
        cases.add(c("POST /webhooks: application/xml", "POST", "/webhooks", 415, "<webhook/>", "Content-Type: application/xml"));
        cases.add(c("POST /webhooks: empty content type", "POST", "/webhooks", 415, valid, "Content-Type: "));
        cases.add(c("POST /webhooks: application/jsonx", "POST", "/webhooks", 415, valid, "Content-Type: application/jsonx"));
        cases.add(c("PUT /webhooks/{id}: text/plain", "PUT", W, 415, validUpdate, "Content-Type: text/plain"));
        cases.add(c("PUT /webhooks/{id}: multipart", "PUT", W, 415, validUpdate, "Content-Type: multipart/form-data; boundary=x"));

        // Ids and paths.
        String longId = "wh_" + "a".repeat(10_000);
        cases.add(c("GET malformed id", "GET", "/webhooks/not-an-id", 404, null));
        cases.add(c("GET 10 KB id", "GET", "/webhooks/" + longId, 404, null));
        cases.add(c("PUT 10 KB id", "PUT", "/webhooks/" + longId, 404, validUpdate, JSON));
        cases.add(c("DELETE 10 KB id", "DELETE", "/webhooks/" + longId, 404, null));
        cases.add(c("DELETE id with NUL", "DELETE", "/webhooks/{id}%00", 404, null));
        cases.add(c("PUT id with NUL", "PUT", "/webhooks/{id}%00", 404, validUpdate, JSON));
        cases.add(c("GET upper-case id", "GET", "/webhooks/{ID}", 404, null));
        cases.add(c("GET id with encoded traversal", "GET", "/webhooks/..%2f..%2fevent-types", 404, null));
        cases.add(c("GET id with encoded slash", "GET", "/webhooks/{id}%2Fdeliveries", 404, null));
        cases.add(c("GET raw dot-dot segment", "GET", "/webhooks/../event-types", 404, null));
        cases.add(jdkServer(c("GET double slash", "GET", "//webhooks", 404, null)));
        cases.add(c("DELETE double slash before id", "DELETE", "/webhooks//{id}", 404, null));
        cases.add(c("GET id with CRLF encoded", "GET", "/webhooks/wh_%0d%0aX-Injected:%201", 404, null));
        cases.add(c("GET id with odd Unicode", "GET", "/webhooks/wh_%E2%80%AE%F0%9F%92%A9%ED%A0%80", 404, null));
        cases.add(jdkServer(raw("GET raw UTF-8 bytes in path", "GET", "/webhooks/wh_\u00e9\u202e", 400, null)));
        cases.add(c("GET deliveries of a 10 KB id", "GET", "/webhooks/" + longId + "/deliveries", 404, null));
        cases.add(c("POST test of a malformed id", "POST", "/webhooks/..%2F/test", 404, null));
        cases.add(c("GET dispatch malformed id", "GET", "/webhook-inspector/not-a-dispatch", 404, null));
        cases.add(c("GET dispatch 10 KB id", "GET", "/webhook-inspector/dispatch_" + "0".repeat(10_000), 404, null));
        cases.add(c("GET dispatch id with NUL", "GET", "/webhook-inspector/dispatch_%00", 404, null));
        cases.add(c("GET unknown path", "GET", "/webhooks/{id}/secret", 404, null));
        cases.add(c("GET path traversal", "GET", "/webhooks/%2e%2e/%2e%2e/etc/passwd", 404, null));
        cases.add(anonymous("GET unknown path without token", "GET", "/admin", 404));

        // Query numbers and cursors.
        for (String route : List.of("/webhooks", W + "/deliveries", "/webhooks/test-mode/log", "/webhook-inspector")) {
            cases.add(c("GET " + route + "?limit=-1", "GET", route + "?limit=-1", 400, null));
            cases.add(c("GET " + route + "?cursor=garbage", "GET", route + "?cursor=%21%21not-base64%21%21", 400, null));
        }
        cases.add(c("limit=0", "GET", "/webhooks?limit=0", 400, null));
        cases.add(c("limit=-99999999999999999999", "GET", "/webhooks?limit=-99999999999999999999", 400, null));
        cases.add(c("limit=1.5", "GET", "/webhooks?limit=1.5", 400, null));
        cases.add(c("limit=1e3", "GET", "/webhooks?limit=1e3", 400, null));
        cases.add(c("limit=0x10", "GET", "/webhooks?limit=0x10", 400, null));
        cases.add(c("limit empty", "GET", "/webhooks?limit=", 400, null));
        cases.add(c("limit with NUL", "GET", "/webhooks?limit=5%00", 400, null));
        cases.add(c("limit Arabic-Indic digits", "GET", "/webhooks?limit=%D9%A5", 400, null));
        cases.add(c("limit twice", "GET", "/webhooks?limit=1&limit=2", 400, null));
        cases.add(c("cursor not JSON", "GET", "/webhooks?cursor=" + b64("not json"), 400, null));
        cases.add(c("cursor JSON array", "GET", "/webhooks?cursor=" + b64("[1]"), 400, null));
        cases.add(c("cursor 10 KB", "GET", "/webhooks?cursor=" + "A".repeat(10_000), 400, null));
        cases.add(c("cursor of another tenant", "GET", "/webhooks?cursor={foreign}", 400, null));
        cases.add(c("cursor of another list", "GET", "/webhook-inspector?cursor={own}", 400, null));
        cases.add(c("cursor of another list (deliveries)", "GET", W + "/deliveries?cursor={own}", 400, null));
        cases.add(c("cursor forged for another tenant", "GET", "/webhooks?cursor="
                + b64("{\"t\":\"victim\",\"l\":\"webhooks\",\"k\":{\"pk\":\"T#victim\",\"sk\":\"WH#x\"}}"), 400, null));
        cases.add(c("cursor forged with own tenant and another's key", "GET", "/webhooks?cursor="
                + b64("{\"t\":\"" + TENANT + "\",\"l\":\"webhooks\",\"k\":{\"pk\":\"T#victim\",\"sk\":\"WH#x\"}}"), 400, null));
        cases.add(c("cursor forged with a non-string key", "GET", "/webhooks?cursor="
                + b64("{\"t\":\"" + TENANT + "\",\"l\":\"webhooks\",\"k\":{\"pk\":{\"S\":\"T#" + TENANT + "\"},\"sk\":1}}"), 400, null));
        cases.add(c("cursor forged with a foreign attribute", "GET", "/webhooks?cursor="
                + b64("{\"t\":\"" + TENANT + "\",\"l\":\"webhooks\",\"k\":{\"pk\":\"T#" + TENANT + "\",\"sk\":\"WH#x\",\"secret\":\"x\"}}"), 400, null));
        cases.add(c("cursor forged outside the webhooks range", "GET", "/webhooks?cursor="
                + b64("{\"t\":\"" + TENANT + "\",\"l\":\"webhooks\",\"k\":{\"pk\":\"T#" + TENANT + "\",\"sk\":\"TESTMODE\"}}"), 400, null));
        cases.add(c("cursor forged with an oversized key", "GET", "/webhooks?cursor="
                + b64("{\"t\":\"" + TENANT + "\",\"l\":\"webhooks\",\"k\":{\"pk\":\"T#" + TENANT + "\",\"sk\":\"WH#" + "z".repeat(1300) + "\"}}"), 400, null));
        cases.add(c("cursor forged without the index sort key", "GET", W + "/deliveries?cursor="
                + b64("{\"t\":\"" + TENANT + "\",\"l\":\"dispatches:webhook\",\"k\":{\"pk\":\"T#" + TENANT + "#D\",\"sk\":\"dispatch_x\",\"gsi1pk\":\"T#" + TENANT + "#WH#{id}\"}}"), 400, null));
        cases.add(c("cursor forged with another index's attributes", "GET", "/webhook-inspector?cursor="
                + b64("{\"t\":\"" + TENANT + "\",\"l\":\"dispatches:all\",\"k\":{\"pk\":\"T#" + TENANT + "#D\",\"sk\":\"dispatch_x\",\"gsi2pk\":\"a\",\"gsi2sk\":\"b\"}}"), 400, null));
        cases.add(c("inspector unknown outcome", "GET", "/webhook-inspector?outcome=exploded", 400, null));
        cases.add(c("inspector unknown parameter", "GET", "/webhook-inspector?secret=1", 400, null));
        cases.add(c("inspector eventType 300 characters", "GET", "/webhook-inspector?eventType=" + "e".repeat(300), 400, null));
        cases.add(c("inspector webhookId with control character", "GET", "/webhook-inspector?webhookId=wh_%01", 400, null));
        cases.add(c("inspector orderingKey with a space", "GET", "/webhook-inspector?orderingKey=run%2042", 400, null));
        cases.add(c("inspector orderingKey 129 characters", "GET", "/webhook-inspector?orderingKey=" + "k".repeat(129), 400, null));

        // Methods.
        cases.add(c("PATCH /webhooks", "PATCH", "/webhooks", 405, "{}", JSON));
        cases.add(c("PUT /webhooks", "PUT", "/webhooks", 405, valid, JSON));
        cases.add(c("DELETE /webhooks", "DELETE", "/webhooks", 405, null));
        cases.add(c("POST /webhooks/{id}", "POST", W, 405, validUpdate, JSON));
        cases.add(c("PATCH /webhooks/{id}", "PATCH", W, 405, validUpdate, JSON));
        cases.add(c("GET /webhooks/{id}/test", "GET", W + "/test", 405, null));
        cases.add(c("DELETE /webhooks/{id}/deliveries", "DELETE", W + "/deliveries", 405, null));
        cases.add(c("GET /webhooks/test-mode/enable", "GET", "/webhooks/test-mode/enable", 405, null));
        cases.add(c("PUT /webhooks/test-mode/log", "PUT", "/webhooks/test-mode/log", 405, "{}", JSON));
        cases.add(c("POST /webhook-inspector", "POST", "/webhook-inspector", 405, "{}", JSON));
        cases.add(c("DELETE /webhook-inspector/{id}", "DELETE", "/webhook-inspector/dispatch_x", 405, null));
        cases.add(c("POST /event-types", "POST", "/event-types", 405, "{}", JSON));
        cases.add(c("OPTIONS /webhooks", "OPTIONS", "/webhooks", 405, null));
        cases.add(c("TRACE /webhooks/{id}", "TRACE", W, 405, null));
        cases.add(c("made-up method", "BREW", "/webhooks", 405, null));

        // Bodies where none is taken.
        cases.add(c("test-mode enable with fields", "POST", "/webhooks/test-mode/enable", 400, "{\"enabled\":true}", JSON));
        cases.add(c("test-mode enable with an array", "POST", "/webhooks/test-mode/enable", 400, "[]", JSON));
        cases.add(c("test-mode enable with broken JSON", "POST", "/webhooks/test-mode/enable", 400, "{", JSON));
        cases.add(c("test-mode enable with text/plain", "POST", "/webhooks/test-mode/enable", 415, "on", "Content-Type: text/plain"));
        cases.add(c("test-mode disable with fields", "POST", "/webhooks/test-mode/disable", 400, "{\"x\":1}", JSON));
        cases.add(c("test send with fields", "POST", W + "/test", 400, "{\"event\":\"agent_completed\"}", JSON));
        cases.add(c("test send with broken JSON", "POST", W + "/test", 400, "{{", JSON));

        // Authorization and headers.
        cases.add(anonymous("no token", "POST", "/webhooks", 401, JSON));
        cases.add(anonymous("empty bearer", "PUT", W, 401, JSON, "Authorization: Bearer "));
        cases.add(anonymous("basic auth", "DELETE", W, 401, "Authorization: Basic dXNlcjpwYXNz"));
        cases.add(anonymous("bearer garbage", "POST", "/webhooks/test-mode/enable", 401, "Authorization: Bearer a.b.c"));
        cases.add(anonymous("bearer 20 KB", "DELETE", "/webhooks/test-mode/log", 401, "Authorization: Bearer " + "x".repeat(20_000)));
        cases.add(anonymous("token with odd Unicode", "GET", "/webhook-inspector", 401, "Authorization: Bearer \u00e9\u202e.\u0000.x"));
        cases.add(c("query string of 100 KB", "GET", "/webhook-inspector?eventType=" + "q".repeat(100_000), 400, null));
        cases.add(c("60 KB header on a bad request", "GET", "/webhooks?limit=-5", 400, null, "X-Junk: " + "j".repeat(60_000)));
        return cases.stream();
    }

    // --- the check ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithA4xxInTheErrorShapeAndChangesNothing(Case c) {

        Function<String, String> fill = s -> s.replace("{id}", webhookId).replace("{foreign}", foreignCursor)
                .replace("{own}", ownWebhooksCursor).replace("{ID}", webhookId.toUpperCase(Locale.ROOT));
        String path = fill.apply(c.path());
        List<String> headers = c.headers().stream().map(fill).toList();
        RawResponse r = send(c.method(), path, headers, c.body(), c.authenticated());
        // API Gateway's quota on the request line and headers is checked before anything else.
        int expected = headBytes(c.method(), path, headers, c.authenticated()) > ApiGatewayBridge.MAX_HEAD_BYTES
                ? 431 : c.expected();

        TRIED.incrementAndGet();
        BY_STATUS.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
        if (r.status() >= 500) {
            SERVER_ERRORS.incrementAndGet();
        }
        String shown = r.body().length() > 300 ? r.body().substring(0, 300) + "…" : r.body();
        assertTrue(r.status() >= 400 && r.status() < 500, c + " -> " + r.status() + " " + shown);
        if (expected > 0) {
            assertEquals(expected, r.status(), c + " -> " + shown);
        }
        if (!c.refusedByJdkServer()) {
            assertErrorShape(r, c.name());
        }
        if (!c.method().equals("GET")) {
            assertEquals(baseline, snapshot(), c + " changed stored data");
        }
    }

    @Test
    void aHugePositiveLimitIsTreatedAs200NotRefused() {
        for (String limit : List.of("99999999999999999999", "9".repeat(9_000))) {
            Http.Response r = AstraLocalExtension.http().get("/webhooks?limit=" + limit, token);
            assertEquals(200, r.status(), r.body());
            assertEquals(2, WebhookApiTest.data(r).size());
        }
    }

    /**
     * HTTP API refuses a request whose request line and headers pass 10,240 bytes before any
     * function runs; the runner answers 431 in the error shape, and never just closes the
     * connection (the JDK server's own reaction to more than 200 headers).
     */
    @Test
    void aRequestLineAndHeadersOverApiGatewaysQuotaAre431AndUnderItServed() {
        RawResponse under = send("GET", "/webhooks", List.of("X-Junk: " + "j".repeat(9_000)), null, true);
        assertEquals(200, under.status(), under.body());
        RawResponse large = send("GET", "/webhooks", List.of("X-Junk: " + "j".repeat(60_000)), null, true);
        assertEquals(431, large.status(), large.body());
        assertErrorShape(large, "one large header");
        List<String> many = new ArrayList<>();
        List<String> small = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add("X-Header-" + i + ": " + "v".repeat(20));
            small.add("X-H" + i + ": " + i);
        }
        RawResponse lots = send("GET", "/webhooks", many, null, true);
        assertEquals(431, lots.status(), lots.body());
        assertErrorShape(lots, "500 headers");
        RawResponse tiny = send("GET", "/webhooks", small, null, true);
        assertEquals(200, tiny.status(), "500 headers within the quota are served: " + tiny.body());
        RawResponse longLine = send("GET", "/webhooks?limit=" + "9".repeat(11_000), List.of(), null, true);
        assertEquals(431, longLine.status(), longLine.body());
    }

    /** About what ApiGatewayBridge counts against the quota, for the cases, none of which is near it. */
    private static int headBytes(String method, String path, List<String> headers, boolean authenticated) {
        int size = method.length() + path.length() + " HTTP/1.1".length() + 1 + "Host: 127.0.0.1:65535".length()
                + "Connection: close".length() + (authenticated ? "Authorization: Bearer ".length() + token.length() : 0);
        for (String h : headers) {
            size += h.length();
        }
        return size;
    }

    private static void assertErrorShape(RawResponse r, String name) {
        assertTrue(r.header("content-type").startsWith("application/json"), name + ": content-type " + r.header("content-type"));
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(r.body());
        } catch (Exception e) {
            throw new AssertionError(name + ": not a JSON object: " + r.body(), e);
        }
        assertEquals(List.of("error"), List.copyOf(doc.keySet()), name + ": " + r.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) doc.get("error");
        assertTrue(error.get("code") instanceof String code && code.matches("[a-z_]+"), name + ": " + r.body());
        assertTrue(error.get("message") instanceof String m && !m.isBlank(), name + ": " + r.body());
        assertTrue(error.get("details") instanceof List, name + ": details must be a list: " + r.body());
        for (String leak : List.of("Exception", "\tat ", "java.", "software.amazon", "com.astra")) {
            assertFalse(r.body().contains(leak), name + ": leaks internals: " + r.body());
        }
    }

    /** Everything a rejected request could have changed for the tenant, read through the API. */
    private static Map<String, String> snapshot() {
        Http http = AstraLocalExtension.http();
        Map<String, String> s = new LinkedHashMap<>();
        // The inspector lists every dispatch of the tenant, test sends and test-mode log entries included.
        for (String path : List.of("/webhooks/" + webhookId, "/webhooks", "/webhooks/test-mode", "/webhook-inspector")) {
            Http.Response r = http.get(path, token);
            s.put(path, r.status() + " " + r.body());
        }
        return s;
    }

    // --- a raw HTTP/1.1 client --------------------------------------------------------------

    record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    private static RawResponse send(String method, String path, List<String> headers, byte[] body, boolean authenticated) {
        URI base = URI.create(AstraLocalExtension.baseUrl());
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        head.append("Connection: close\r\n");
        if (authenticated) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream(), method.equals("HEAD"));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path.substring(0, Math.min(path.length(), 100)), e);
        }
    }

    private static RawResponse parse(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        byte[] bytes = all.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no HTTP response, got " + bytes.length + " bytes: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : bytes.length - end - 4;
        String body = head ? "" : new String(bytes, end + 4, Math.min(length, bytes.length - end - 4), StandardCharsets.UTF_8);
        return new RawResponse(status, headers, body);
    }
}
