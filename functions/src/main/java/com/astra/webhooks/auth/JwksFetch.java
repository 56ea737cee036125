package com.astra.webhooks.auth;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.net.URL;

/**
 * Fetches the JWKS and remembers whether the last fetch failed. While refreshes are rate limited,
 * that is the only way to tell "this kid does not exist" (401) from "we could not look" (503).
 */
final class JwksFetch extends DefaultResourceRetriever {

    private final URL url;
    private volatile boolean lastFailed;

    JwksFetch(URL url, int connectTimeoutMs, int readTimeoutMs, int sizeLimitBytes) {
        super(connectTimeoutMs, readTimeoutMs, sizeLimitBytes);
        this.url = url;
    }

    URL url() {
        return url;
    }

    boolean lastFailed() {
        return lastFailed;
    }

    @Override
    public Resource retrieveResource(URL target) throws IOException {
        try {
            Resource resource = super.retrieveResource(target);
            lastFailed = false;
            return resource;
        } catch (IOException | RuntimeException e) {
            lastFailed = true;
            throw e;
        }
    }
}
