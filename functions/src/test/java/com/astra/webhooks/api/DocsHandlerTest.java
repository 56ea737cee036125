package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DocsHandlerTest {

    private final DocsHandler handler = new DocsHandler();

    @Test
    void theConsoleIsServedWithAPolicyThatAllowsOnlyItsOwnInlineBlocks() throws Exception {
        ApiResponse page = handler.handle("GET /console");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.headers().get("content-type"));
        assertEquals("nosniff", page.headers().get("x-content-type-options"));
        assertTrue(page.headers().containsKey("cache-control"));
        String csp = page.headers().get("content-security-policy");
        assertTrue(csp.startsWith("default-src 'none';"), csp);
        assertTrue(csp.contains("connect-src 'self'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page.body());
        assertTrue(script.find());
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
        assertTrue(csp.contains("script-src 'sha256-" + hash + "'"), csp);
        assertFalse(csp.contains("unsafe-inline"));
    }

    @Test
    void frameAncestorsNameThePlatformsOriginsAndLoosenNothingElse() {
        String html = handler.handle("GET /console").body();
        ApiResponse closed = new DocsHandler(html, "{}").handle("GET /console");
        ApiResponse framed = new DocsHandler(html, "{}", java.util.List.of("https://app.example.com", "https://*.example.org"))
                .handle("GET /console");
        String closedCsp = closed.headers().get("content-security-policy");
        String framedCsp = framed.headers().get("content-security-policy");
        assertTrue(framedCsp.endsWith("frame-ancestors https://app.example.com https://*.example.org"), framedCsp);
        assertEquals(closedCsp.replace("frame-ancestors 'none'", "frame-ancestors https://app.example.com https://*.example.org"),
                framedCsp, "every other directive is the same");
        assertEquals("DENY", closed.headers().get("x-frame-options"));
        // X-Frame-Options cannot name origins; with it a framing page would be refused whatever the CSP says
        assertFalse(framed.headers().containsKey("x-frame-options"));
    }

    @Test
    void theConsoleNamesNoOtherOrigin() {
        String body = handler.handle("GET /console").body();
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(body).find(), "no external resource");
        assertFalse(body.contains("fetch(\"http"), "API calls go to this origin only");
    }

    @Test
    void theOpenApiDocumentIsServedAsJson() throws Exception {
        ApiResponse doc = handler.handle("GET /openapi.json");
        assertEquals(200, doc.status());
        assertEquals("application/json", doc.headers().get("content-type"));
        Map<String, Object> json = Json.parseObject(doc.body());
        assertEquals("3.1.0", json.get("openapi"));
        assertTrue(((Map<?, ?>) json.get("paths")).containsKey("/webhooks/{id}/rotate-secret"));
    }

    @Test
    void theConsoleIsServedAtExactlyItsPathAndTakesItsApiFromItsOwnOrigin() {
        assertEquals(200, handler.handle("GET /console", "/console").status());
        for (String path : List.of("//evil.example/console", "/console/", "//console", "/./console")) {
            ApiResponse r = handler.handle("GET /console", path);
            assertEquals(404, r.status(), path);
            assertTrue(r.body().contains("\"not_found\""), r.body());
        }
        assertEquals(404, handler.handle("GET /openapi.json", "//evil.example/openapi.json").status());
        String page = handler.handle("GET /console").body();
        assertTrue(page.contains("const base = location.origin;"), "the API base is the page's origin");
        assertFalse(page.contains("location.pathname.replace"), "never derived from the path");
    }

    @Test
    void anyOtherRouteIsANotFoundInTheErrorShape() throws Exception {
        ApiResponse r = handler.handle("GET /console/x");
        assertEquals(404, r.status());
        assertEquals("not_found", ((Map<?, ?>) Json.parseObject(r.body()).get("error")).get("code"));
    }

    @Test
    void yamlThatJsonCannotHoldIsRefusedNotServedGarbled() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpenApiDocument.toJson("info:\n  released: 2026-11-27\n"));
        assertTrue(e.getMessage().contains("$.info.released"), e.getMessage());
    }
}
