package com.astra.webhooks.local;

import com.astra.webhooks.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;


import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens checked against a JWKS endpoint that goes away: a token naming a kid we have never
 * seen may be a key rotated in during the outage, so the API answers 503 (try again), not 401
 * (get a new token), however often it is asked; cached keys keep working.
 */
class JwksOutageTest {

    @Test
    void unknownKidWhileTheJwksEndpointIsDownIs503NotUnauthorized() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        idp.start();
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        settings.put(Settings.JWKS_URL, "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json");
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .settings(settings))) {
            Http http = new Http(runner.httpUrl());
            assertEquals(200, http.get("/webhooks", token(key, "k1")).status(), "keys fetched and cached");
            idp.stop(0);

            for (int i = 1; i <= 3; i++) {
                Http.Response r = http.get("/webhooks", token(key, "rotated-in"));
                assertEquals(503, r.status(), "attempt " + i + ": " + r.body());
                WebhookApiTest.assertError(r, 503, "service_unavailable");
                assertEquals("5", r.header("retry-after").orElse(null));
            }
            assertEquals(200, http.get("/webhooks", token(key, "k1")).status(), "a cached key still works");
        } finally {
            idp.stop(0);
        }
    }

    private static String token(RSAKey key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                new JWTClaimsSet.Builder().subject("t-jwks").expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
