package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhook CRUD through real HTTP on the runner, against dynoxide: what a user's curl calls do. */
@ExtendWith(AstraLocalExtension.class)
class WebhookApiTest {

    private final Http http = AstraLocalExtension.http();
    private final String tenant = "t-" + UUID.randomUUID();
    private final String token = AstraLocalExtension.token(tenant);

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Http.Response r) {
        try {
            return Json.parseObject(r.body());
        } catch (Exception e) {
            throw new AssertionError("not a JSON object: " + r.body(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> data(Http.Response r) {
        return (List<Map<String, Object>>) json(r).get("data");
    }

    static void assertError(Http.Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) json(r).get("error");
        assertNotNull(error, r.body());
        assertEquals(code, error.get("code"), r.body());
        assertTrue(error.get("message") instanceof String m && !m.isBlank(), r.body());
        assertFalse(r.body().contains("Exception"), "no stack traces: " + r.body());
    }

    private Map<String, Object> create(String body) {
        Http.Response r = http.post("/webhooks", token, body);
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

    @Test
    void createListGetUpdateDeleteAsTheReadmeShows() {
        Map<String, Object> created = create(
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"agent_completed\",\"tool.executed\"],\"description\":\"mine\"}");
        String id = (String) created.get("id");
        assertTrue(id.matches("wh_[0-9a-z]{26}"), id);
        assertTrue(((String) created.get("secret")).startsWith("whsec_"));
        assertEquals(true, created.get("enabled"));
        assertEquals(List.of("agent_completed", "tool.executed"), created.get("events"));

        List<Map<String, Object>> listed = data(http.get("/webhooks", token));
        assertEquals(1, listed.size());
        assertEquals(id, listed.get(0).get("id"));
        assertFalse(listed.get(0).containsKey("secret"), "secrets are shown on create only");

        Http.Response got = http.get("/webhooks/" + id, token);
        assertEquals(200, got.status());
        assertFalse(json(got).containsKey("secret"));
        assertEquals("mine", json(got).get("description"));

        Http.Response updated = http.put("/webhooks/" + id, token, "{\"events\":\"*\",\"enabled\":false,\"description\":null}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals(List.of("*"), json(updated).get("events"));
        assertEquals(false, json(updated).get("enabled"));
        assertTrue(json(updated).containsKey("description"), "null fields are sent, not dropped");
        assertNull(json(updated).get("description"));
        assertEquals("http://127.0.0.1:9/hook", json(updated).get("url"), "fields absent from PUT are kept");
        assertEquals(json(updated), json(http.get("/webhooks/" + id, token)));

        assertEquals(204, http.delete("/webhooks/" + id, token).status());
        assertError(http.get("/webhooks/" + id, token), 404, "not_found");
        assertError(http.delete("/webhooks/" + id, token), 404, "not_found");
    }

    @Test
    void anotherTenantSeesNotFoundNeverForbidden() {
        String id = (String) create("{\"url\":\"http://127.0.0.1:9/a\",\"events\":\"*\"}").get("id");
        String intruder = AstraLocalExtension.token("intruder-" + UUID.randomUUID());
        assertError(http.get("/webhooks/" + id, intruder), 404, "not_found");
        assertError(http.put("/webhooks/" + id, intruder, "{\"enabled\":false}"), 404, "not_found");
        assertError(http.delete("/webhooks/" + id, intruder), 404, "not_found");
        assertError(http.get("/webhooks/" + id + "/deliveries", intruder), 404, "not_found");
        assertTrue(data(http.get("/webhooks", intruder)).isEmpty());
        assertEquals(true, json(http.get("/webhooks/" + id, token)).get("enabled"), "untouched by the intruder");
    }

    @Test
    void rejectsMissingForgedAndForeignSignedTokensWith401() {
        Http.Response missing = http.get("/webhooks", null);
        assertError(missing, 401, "unauthorized");
        assertEquals("Bearer", missing.header("www-authenticate").orElse(null));

        String otherSecret = com.astra.webhooks.auth.TokenIssuer.issueHs256("not-the-secret", tenant, java.time.Duration.ofHours(1));
        Http.Response forged = http.get("/webhooks", otherSecret);
        assertError(forged, 401, "unauthorized");
        assertEquals("Bearer", forged.header("www-authenticate").orElse(null));

        long past = java.time.Instant.now().minusSeconds(3600).getEpochSecond();
        String expired = hs256("test-secret", "{\"sub\":\"" + tenant + "\",\"exp\":" + past + "}");
        assertError(http.get("/webhooks", expired), 401, "unauthorized");
        // alg "none": header {"alg":"none"}, no signature.
        String none = "eyJhbGciOiJub25lIn0." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"sub\":\"" + tenant + "\"}").getBytes()) + ".";
        assertError(http.get("/webhooks", none), 401, "unauthorized");
    }

    /** A token made without our issuer, as another tool would make it. */
    static String hs256(String secret, String claims) {
        try {
            var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes())
                    + "." + b64.encodeToString(claims.getBytes());
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(), "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void acceptsATokenMadeByAnotherTool() {
        long future = java.time.Instant.now().plusSeconds(3600).getEpochSecond();
        assertEquals(200, http.get("/webhooks", hs256("test-secret", "{\"sub\":\"" + tenant + "\",\"exp\":" + future + "}")).status());
    }

    @Test
    void validatesBodiesWithTheContractErrorShape() {
        Http.Response unknownType = http.post("/webhooks", token, "{\"url\":\"http://127.0.0.1:9/a\",\"events\":[\"agent.exploded\"]}");
        assertError(unknownType, 400, "validation_error");
        assertTrue(unknownType.body().contains("memory.written"), "lists the catalog: " + unknownType.body());

        assertError(http.post("/webhooks", token, "{\"url\":\"http://127.0.0.1:9/a\",\"events\":\"*\",\"colour\":1}"), 400, "validation_error");
        assertError(http.post("/webhooks", token, "{\"url\":\"ftp://x\",\"events\":\"*\"}"), 400, "validation_error");
        assertError(http.post("/webhooks", token, "{\"url\":\"http://u:p@127.0.0.1/\",\"events\":\"*\"}"), 400, "validation_error");
        assertError(http.post("/webhooks", token, "[1,2]"), 400, "invalid_json");
        assertError(http.post("/webhooks", token, "{\"url\":"), 400, "invalid_json");
        String huge = "{\"url\":\"http://127.0.0.1:9/a\",\"events\":\"*\",\"description\":\"" + "x".repeat(70_000) + "\"}";
        assertError(http.post("/webhooks", token, huge), 413, "payload_too_large");
        Http.Response wrongType = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/webhooks"))
                .header("authorization", "Bearer " + token).header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(wrongType, 415, "unsupported_media_type");
        assertTrue(data(http.get("/webhooks", token)).isEmpty(), "nothing was stored by rejected requests");
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        assertError(http.get("/nope", token), 404, "not_found");
        Http.Response wrongMethod = http.send("PATCH", "/webhooks", token, "{}");
        assertError(wrongMethod, 405, "method_not_allowed");
        assertError(http.delete("/event-types", token), 405, "method_not_allowed");
    }

    @Test
    void pagesThroughWebhooksNewestFirstEachExactlyOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, (String) create("{\"url\":\"http://127.0.0.1:9/" + i + "\",\"events\":\"*\"}").get("id"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response r = http.get("/webhooks?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token);
            assertEquals(200, r.status(), r.body());
            data(r).forEach(w -> seen.add((String) w.get("id")));
            cursor = (String) json(r).get("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(ids, seen);
        assertEquals(3, pages, "2 + 2 + 1, and no empty last page");
        assertTrue(json(http.get("/webhooks?limit=200", token)).containsKey("nextCursor"), "nextCursor: null on the last page");

        String firstCursor = (String) json(http.get("/webhooks?limit=2", token)).get("nextCursor");
        String other = AstraLocalExtension.token("other-" + UUID.randomUUID());
        assertError(http.get("/webhooks?cursor=" + firstCursor, other), 400, "invalid_cursor");
        assertError(http.get("/webhooks?cursor=bm90LWEtY3Vyc29y", token), 400, "invalid_cursor");
        assertError(http.get("/webhooks?limit=0", token), 400, "validation_error");
        assertError(http.get("/webhooks?limit=abc", token), 400, "validation_error");
        assertEquals(5, data(http.get("/webhooks?limit=500", token)).size());
    }

    @Test
    void listsTheEventTypeCatalog() {
        Http.Response r = http.get("/event-types", token);
        assertEquals(200, r.status());
        List<Object> names = data(r).stream().map(t -> t.get("name")).toList();
        assertTrue(names.containsAll(List.of("agent_completed", "tool.executed", "memory.written", "swarm.finished")), names.toString());
    }
}
