package com.astra.webhooks.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two routes that need no token: {@code GET /console}, the web console (one HTML file whose
 * own script then calls the API with the user's token), and {@code GET /openapi.json}, the API's
 * OpenAPI document. Both are read from the jar once per container.
 *
 * <p>The console's script and style are inline, so that one route serves the page; the
 * Content-Security-Policy allows exactly those two blocks (by hash) and API calls to this
 * origin, and nothing else: no other origin, no framing, no injected script.
 */
public final class DocsHandler implements RequestStreamHandler {

    static final String CONSOLE_RESOURCE = "console/console.html";
    static final String OPENAPI_RESOURCE = "openapi.yaml";

    private final ApiResponse console;
    private final ApiResponse openapi;

    public DocsHandler() {
        this(resource(CONSOLE_RESOURCE), OpenApiDocument.toJson(resource(OPENAPI_RESOURCE)),
                Settings.fromEnvironment().consoleFrameAncestors());
    }

    DocsHandler(String consoleHtml, String openapiJson) {
        this(consoleHtml, openapiJson, List.of());
    }

    /** @param frameAncestors origins that may frame the console (CONSOLE_FRAME_ANCESTORS); empty: none */
    DocsHandler(String consoleHtml, String openapiJson, List<String> frameAncestors) {
        Map<String, String> html = new LinkedHashMap<>();
        html.put("content-type", "text/html; charset=utf-8");
        html.put("content-security-policy", contentSecurityPolicy(consoleHtml, frameAncestors));
        html.put("x-content-type-options", "nosniff");
        if (frameAncestors.isEmpty()) {
            // for browsers that predate frame-ancestors; it cannot name origins, so only when none may frame
            html.put("x-frame-options", "DENY");
        }
        html.put("referrer-policy", "no-referrer");
        // Revalidated on every load, so a deploy shows at once; the page is small.
        html.put("cache-control", "no-cache");
        this.console = new ApiResponse(200, Map.copyOf(html), consoleHtml);
        this.openapi = new ApiResponse(200, Map.of("content-type", "application/json",
                "x-content-type-options", "nosniff", "cache-control", "public, max-age=300",
                "access-control-allow-origin", "*"), openapiJson);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
        ApiRequest request = ApiGatewayAdapter.toRequest(event);
        ApiGatewayAdapter.write(handle(request.routeKey(), request.path()), response);
    }

    ApiResponse handle(String routeKey) {
        return handle(routeKey, routeKey == null ? null : routeKey.substring(routeKey.indexOf(' ') + 1));
    }

    /**
     * Each document at its one path only: a route key can be reached by other spellings of the
     * path (a doubled slash: {@code //evil.example/console}), and a page served there would
     * resolve relative URLs against a path that names another host.
     */
    ApiResponse handle(String routeKey, String rawPath) {
        ApiRoute route = ApiRoute.of(routeKey);
        if (route == ApiRoute.CONSOLE && route.path().equals(rawPath)) {
            return console;
        }
        if (route == ApiRoute.OPEN_API && route.path().equals(rawPath)) {
            return openapi;
        }
        return ErrorResponses.of(ApiException.notFound("no route " + Text.printable(String.valueOf(routeKey))));
    }

    /** Allows the page's inline {@code <script>} and {@code <style>} blocks by their SHA-256, and nothing else. */
    static String contentSecurityPolicy(String html, List<String> frameAncestors) {
        return "default-src 'none'; script-src " + hashes(html, "script") + "; style-src " + hashes(html, "style")
                + "; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
                + (frameAncestors.isEmpty() ? "'none'" : String.join(" ", frameAncestors));
    }

    private static String hashes(String html, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(html);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            out.append(out.length() == 0 ? "" : " ").append("'sha256-").append(sha256(m.group(1))).append('\'');
        }
        return out.length() == 0 ? "'none'" : out.toString();
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DocsHandler.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
