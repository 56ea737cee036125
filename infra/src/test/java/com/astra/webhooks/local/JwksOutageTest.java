package com.astra.webhooks.local;

import com.astra.webhooks.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void unknownKidWhileTheJwksEndpointIsDownIs503NotUnauthorized() {
        JwksStandIn idp = new JwksStandIn("k1");
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        settings.put(Settings.JWKS_URL, idp.url());
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .settings(settings))) {
            Http http = new Http(runner.httpUrl());
            assertEquals(200, http.get("/webhooks", idp.token("k1", "t-jwks")).status(), "keys fetched and cached");
            idp.close();

            for (int i = 1; i <= 3; i++) {
                Http.Response r = http.get("/webhooks", idp.token("rotated-in", "t-jwks"));
                assertEquals(503, r.status(), "attempt " + i + ": " + r.body());
                WebhookApiTest.assertError(r, 503, "service_unavailable");
                assertEquals("5", r.header("retry-after").orElse(null));
            }
            assertEquals(200, http.get("/webhooks", idp.token("k1", "t-jwks")).status(), "a cached key still works");
        } finally {
            idp.close();
        }
    }
}
