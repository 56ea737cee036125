package com.astra.webhooks.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Just enough HTTP for API tests: JSON bodies, a bearer token, and the whole response back. */
public final class Http {

    public record Response(int status, String body, HttpHeaders headers) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    private final String baseUrl;
    private final boolean checked;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A client whose every response is checked against openapi.yaml ({@link OpenApiContract}). */
    public Http(String baseUrl) {
        this(baseUrl, true);
    }

    private Http(String baseUrl, boolean checked) {
        this.baseUrl = baseUrl;
        this.checked = checked;
    }

    /** For runners that serve stand-in handlers (the runner's own tests), whose answers are not the API's. */
    public static Http unchecked(String baseUrl) {
        return new Http(baseUrl, false);
    }

    public String baseUrl() { return baseUrl; }

    public Response get(String path, String token) { return send("GET", path, token, null); }
    public Response delete(String path, String token) { return send("DELETE", path, token, null); }
    public Response post(String path, String token, String json) { return send("POST", path, token, json); }
    public Response put(String path, String token, String json) { return send("PUT", path, token, json); }

    /** {@code token} may be null (no Authorization header); {@code json} may be null (no body). */
    public Response send(String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            // Every answer the integration tests see must be one openapi.yaml describes.
            if (checked) {
                OpenApiContract.get().check(request.method(), request.uri().getRawPath(), r.statusCode(),
                        r.headers().firstValue("content-type").orElse(null), r.body());
            }
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
