package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.Caller;
import com.astra.webhooks.auth.PortalLinks;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.local.TemplateModel.HttpRoute;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /portal-links} and what its tokens may do, through the runner (HS256 deployment):
 * every route of template.yaml with a read-only link and with a link limited to one webhook,
 * expiry, no widening, and that a link token and a platform token can never pass for each other.
 */
@ExtendWith(AstraLocalExtension.class)
class PortalLinksTest {

    /** What each route needs to succeed, and what a manage link limited to webhook A gets on A's own things. */
    record Case(String body, int own) {}

    /** GET routes not listed here need no body and answer 200; every other route must be listed. */
    static Map<String, Case> cases(String since, String webhookA) {
        return Map.ofEntries(
                Map.entry("POST /webhooks", new Case("{\"url\":\"http://127.0.0.1:9/new\",\"events\":[\"agent_completed\"]}", 403)),
                Map.entry("PUT /webhooks/{id}", new Case("{\"description\":\"renamed\"}", 200)),
                Map.entry("DELETE /webhooks/{id}", new Case(null, 204)),
                Map.entry("POST /webhooks/{id}/test", new Case(null, 200)),
                Map.entry("POST /webhooks/{id}/rotate-secret", new Case(null, 200)),
                Map.entry("POST /webhooks/{id}/recover", new Case("{\"since\":\"" + since + "\"}", 202)),
                Map.entry("POST /webhooks/test-mode/enable", new Case(null, 403)),
                Map.entry("POST /webhooks/test-mode/disable", new Case(null, 403)),
                Map.entry("DELETE /webhooks/test-mode/log", new Case(null, 403)),
                Map.entry("POST /webhook-inspector/{id}/resend", new Case(null, 200)),
                Map.entry("POST /portal-links", new Case("{\"scope\":\"read\",\"webhookIds\":[\"" + webhookA + "\"]}", 201)));
    }

    /** Routes that need no token at all. */
    static final Set<String> OPEN = Set.of("GET /console", "GET /openapi.json");

    private final TenantClient platform = new TenantClient();
    private final Http http = AstraLocalExtension.http();
    private String a;
    private String b;
    private String dispatchA;
    private String dispatchB;
    private String interceptedA;

    @BeforeEach
    void twoWebhooksWithHistory() {
        a = (String) platform.createWebhook("http://127.0.0.1:9/a", "[\"agent_completed\"]").get("id");
        b = (String) platform.createWebhook("http://127.0.0.1:9/b", "[\"agent_completed\"]").get("id");
        dispatchA = (String) json(ok(platform.post("/webhooks/" + a + "/test"), 200)).get("id");
        dispatchB = (String) json(ok(platform.post("/webhooks/" + b + "/test"), 200)).get("id");
        ok(platform.post("/webhooks/test-mode/enable"), 200);
        interceptedA = (String) json(ok(platform.post("/webhooks/" + a + "/test"), 200)).get("id");
        ok(platform.post("/webhooks/" + b + "/test"), 200);
        ok(platform.post("/webhooks/test-mode/disable"), 200);
    }

    private static Http.Response ok(Http.Response r, int status) {
        assertEquals(status, r.status(), r.body());
        return r;
    }

    private Map<String, Object> link(String token, String body) {
        Http.Response r = http.post("/portal-links", token, body);
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

    private static List<HttpRoute> guardedRoutes() {
        return RoutesMatchTemplateTest.TEMPLATE.httpRoutes().stream()
                .filter(r -> !r.path().equals("$default") && !OPEN.contains(r.routeKey()))
                // DELETE of a webhook last: the other routes still need it
                .sorted(Comparator.comparing((HttpRoute r) -> r.routeKey().equals("DELETE /webhooks/{id}")))
                .toList();
    }

    private String concrete(String path, boolean own) {
        String id = path.startsWith("/webhook-inspector/") ? (own ? dispatchA : dispatchB) : (own ? a : b);
        return path.replace("{id}", id);
    }

    private Case caseOf(HttpRoute route) {
        Case c = cases(Instant.now().minus(Duration.ofHours(1)).toString(), a).get(route.routeKey());
        if (c == null) {
            assertEquals("GET", route.method(), "no case for " + route.routeKey() + ": add one to cases()");
            return new Case(null, 200);
        }
        return c;
    }

    @Test
    void aReadLinkAnswersEveryGetAndRefusesEveryWrite() {
        Map<String, Object> link = link(platform.token, "{\"scope\":\"read\",\"ttlSeconds\":600}");
        String token = (String) link.get("token");
        assertEquals(AstraLocalExtension.baseUrl() + "/console#token=" + token, link.get("url"));
        long ttl = Duration.between(Instant.now(), Instant.parse((String) link.get("expiresAt"))).toSeconds();
        assertTrue(ttl > 540 && ttl <= 600, "expiresAt " + link.get("expiresAt"));

        List<HttpRoute> routes = guardedRoutes();
        assertTrue(routes.size() >= 19, "routes: " + routes.size());
        for (HttpRoute route : routes) {
            Case c = caseOf(route);
            Http.Response r = http.send(route.method(), concrete(route.path(), true), token, c.body());
            if (route.method().equals("GET")) {
                assertEquals(200, r.status(), route.routeKey() + ": " + r.body());
            } else {
                assertError(r, 403, "forbidden");
            }
        }
        // nothing changed: the webhook is still there, with its old description
        assertEquals(null, json(platform.get("/webhooks/" + a)).get("description"));
    }

    @Test
    void aLinkForOneWebhookFindsNoOtherAndChangesNothingTenantWide() {
        String token = (String) link(platform.token, "{\"scope\":\"manage\",\"webhookIds\":[\"" + a + "\"]}").get("token");

        // the tenant-wide lists hold only webhook A and its dispatches
        assertEquals(List.of(a), data(http.get("/webhooks", token)).stream().map(w -> w.get("id")).toList());
        List<Map<String, Object>> inspected = data(http.get("/webhook-inspector", token));
        assertTrue(inspected.stream().allMatch(d -> a.equals(d.get("webhookId"))), inspected.toString());
        assertTrue(inspected.stream().anyMatch(d -> dispatchA.equals(d.get("id"))), inspected.toString());
        assertEquals(List.of(), data(http.get("/webhook-inspector?webhookId=" + b, token)));
        List<Map<String, Object>> log = data(http.get("/webhooks/test-mode/log", token));
        assertEquals(List.of(interceptedA), log.stream().map(d -> d.get("id")).toList());
        // the platform token still sees both
        assertEquals(2, data(platform.get("/webhooks")).size());
        assertEquals(2, data(platform.get("/webhooks/test-mode/log")).size());

        for (HttpRoute route : guardedRoutes()) {
            Case c = caseOf(route);
            if (route.path().contains("{id}")) {
                Http.Response other = http.send(route.method(), concrete(route.path(), false), token, c.body());
                assertError(other, 404, "not_found");
            }
            Http.Response own = http.send(route.method(), concrete(route.path(), true), token, c.body());
            assertEquals(c.own(), own.status(), route.routeKey() + ": " + own.body());
            if (c.own() == 403) {
                assertError(own, 403, "forbidden");
            }
        }
        // B was never touched; A was deleted last, through the link
        assertEquals(200, platform.get("/webhooks/" + b).status());
        assertEquals(404, platform.get("/webhooks/" + a).status());
        assertEquals(false, json(platform.get("/webhooks/test-mode")).get("enabled"));
    }

    @Test
    void noLinkIsWiderThanTheTokenThatAsksForIt() {
        String read = (String) link(platform.token, "{\"scope\":\"read\"}").get("token");
        assertError(http.post("/portal-links", read, "{\"scope\":\"manage\"}"), 403, "forbidden");
        assertError(http.post("/portal-links", read, "{\"scope\":\"read\"}"), 403, "forbidden");

        Map<String, Object> parent = link(platform.token, "{\"scope\":\"manage\",\"ttlSeconds\":120,\"webhookIds\":[\"" + a + "\"]}");
        String onlyA = (String) parent.get("token");
        assertError(http.post("/portal-links", onlyA, "{\"scope\":\"manage\"}"), 403, "forbidden");
        assertError(http.post("/portal-links", onlyA, "{\"scope\":\"read\",\"webhookIds\":[\"" + b + "\"]}"), 403, "forbidden");
        assertError(http.post("/portal-links", onlyA, "{\"scope\":\"read\",\"webhookIds\":[\"" + a + "\",\"" + b + "\"]}"),
                403, "forbidden");
        Map<String, Object> child = link(onlyA, "{\"scope\":\"read\",\"ttlSeconds\":86400,\"webhookIds\":[\"" + a + "\"]}");
        assertFalse(Instant.parse((String) child.get("expiresAt")).isAfter(Instant.parse((String) parent.get("expiresAt"))),
                "a link never outlives the token that made it: " + child + " from " + parent);
        String childToken = (String) child.get("token");
        assertEquals(404, http.get("/webhooks/" + b, childToken).status());
        assertError(http.put("/webhooks/" + a, childToken, "{\"description\":\"x\"}"), 403, "forbidden");
    }

    @Test
    void badRequestsForALinkAreClear400s() {
        for (String body : List.of("{}", "{\"scope\":\"admin\"}", "{\"scope\":\"read\",\"ttlSeconds\":59}",
                "{\"scope\":\"read\",\"ttlSeconds\":86401}", "{\"scope\":\"read\",\"ttlSeconds\":1.5}",
                "{\"scope\":\"read\",\"webhookIds\":[]}", "{\"scope\":\"read\",\"webhookIds\":[\"nope\"]}",
                "{\"scope\":\"read\",\"webhookIds\":[\"" + a + "\",\"" + a + "\"]}",
                "{\"scope\":\"read\",\"webhookIds\":[\"wh_00000000000000000000000000\"]}",
                "{\"scope\":\"read\",\"extra\":1}")) {
            assertError(http.post("/portal-links", platform.token, body), 400, "validation_error");
        }
        // another tenant's webhook is as unknown as a made-up one
        String other = (String) new TenantClient().createWebhook("http://127.0.0.1:9/c", "[\"agent_completed\"]").get("id");
        assertError(http.post("/portal-links", platform.token, "{\"scope\":\"read\",\"webhookIds\":[\"" + other + "\"]}"),
                400, "validation_error");
    }

    @Test
    void anExpiredLinkIsRefused() {
        String secret = AstraLocalExtension.TEST_SETTINGS.get(Settings.JWT_SECRET);
        Caller caller = Caller.platform(platform.tenant, null);
        PortalLinks tenMinutesAgo = new PortalLinks(() -> secret,
                Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC));
        String expired = tenMinutesAgo.mint(caller, Caller.Scope.READ, Duration.ofSeconds(60), null).token();
        Http.Response r = http.get("/webhooks", expired);
        assertError(r, 401, "unauthorized");
        assertEquals("token expired", ((Map<?, ?>) json(r).get("error")).get("message"));
        // the same making, with a current clock, is accepted: only the time differs
        String fresh = new PortalLinks(() -> secret, Clock.systemUTC()).mint(caller, Caller.Scope.READ,
                Duration.ofSeconds(60), null).token();
        assertEquals(200, http.get("/webhooks", fresh).status());
    }

    @Test
    void aLinkTokenAndAPlatformTokenNeverPassForEachOther() throws Exception {
        String secret = AstraLocalExtension.TEST_SETTINGS.get(Settings.JWT_SECRET);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(platform.tenant).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("scope", "manage").build();
        // a link-typed token signed with JWT_SECRET itself: not a link (links use a derived key)
        assertError(http.get("/webhooks", sign(secret.getBytes(StandardCharsets.UTF_8), PortalLinks.TYPE, claims)),
                401, "unauthorized");
        // a platform-typed token signed with the link key: not a platform token
        byte[] linkKey = hmac(secret.getBytes(StandardCharsets.UTF_8), "astra-webhooks portal link key v1");
        assertError(http.get("/webhooks", sign(linkKey, "JWT", claims)), 401, "unauthorized");
        // the very same claims with the link type and key are a link: the two refusals are about key and type
        assertEquals(200, http.get("/webhooks", sign(linkKey, PortalLinks.TYPE, claims)).status());
    }

    private static String sign(byte[] key, String typ, JWTClaimsSet claims) throws Exception {
        byte[] padded = key.length >= 32 ? key : java.util.Arrays.copyOf(key, 32);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)).build(), claims);
        if (padded != key) {
            // nimbus refuses keys under 256 bits; sign by hand so the test secret stays as it is
            return handSigned(key, jwt);
        }
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    private static String handSigned(byte[] key, SignedJWT unsigned) throws Exception {
        String input = new String(unsigned.getSigningInput(), StandardCharsets.US_ASCII);
        return input + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(key, input));
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
