package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Portal links in a JWKS-only deployment (no JWT_SECRET): the service cannot sign with the
 * platform's key, so links are signed with a key it keeps in its own table. Platform tokens
 * come from an identity provider's JWKS; HS256 platform tokens are refused as before.
 */
class PortalLinksJwksTest {

    private static RunnerOptions jwksOnly(JwksStandIn idp) {
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        settings.put(Settings.JWT_SECRET, "");
        settings.put(Settings.JWKS_URL, idp.url());
        return RunnerOptions.defaults().freePorts().inMemory(true).pollers(0).settings(settings);
    }

    @Test
    void aJwksOnlyStackMintsAndHonoursLinksWithItsOwnKey() {
        try (JwksStandIn idp = new JwksStandIn("k1"); LocalRunner runner = LocalRunner.start(jwksOnly(idp))) {
            Http http = new Http(runner.httpUrl());
            String platform = idp.token("t-jwks");
            // no HS256 platform tokens in this deployment, whatever secret they were made with
            assertError(http.get("/webhooks", TokenIssuer.issueHs256("test-secret", "t-jwks", Duration.ofMinutes(5))),
                    401, "unauthorized");

            Http.Response created = http.post("/webhooks", platform,
                    "{\"url\":\"http://127.0.0.1:9/a\",\"events\":[\"agent_completed\"]}");
            assertEquals(201, created.status(), created.body());
            String a = (String) json(created).get("id");
            assertEquals(201, http.post("/webhooks", platform,
                    "{\"url\":\"http://127.0.0.1:9/b\",\"events\":[\"agent_completed\"]}").status());

            Http.Response minted = http.post("/portal-links", platform, "{\"scope\":\"read\",\"webhookIds\":[\"" + a + "\"]}");
            assertEquals(201, minted.status(), minted.body());
            String link = (String) json(minted).get("token");
            assertEquals(List.of(a), data(http.get("/webhooks", link)).stream().map(w -> w.get("id")).toList());
            assertError(http.put("/webhooks/" + a, link, "{\"description\":\"x\"}"), 403, "forbidden");

            String manageLink = (String) json(http.post("/portal-links", platform, "{\"scope\":\"manage\"}")).get("token");
            assertEquals(200, http.put("/webhooks/" + a, manageLink, "{\"description\":\"x\"}").status());
        }
    }

    @Test
    void linksOfOneJwksStackAreRefusedByAnother() {
        try (JwksStandIn idp = new JwksStandIn("k1")) {
            String platform = idp.token("t-jwks");
            String link;
            try (LocalRunner first = LocalRunner.start(jwksOnly(idp))) {
                Http.Response minted = new Http(first.httpUrl()).post("/portal-links", platform, "{\"scope\":\"read\"}");
                assertEquals(201, minted.status(), minted.body());
                link = (String) json(minted).get("token");
                assertEquals(200, new Http(first.httpUrl()).get("/webhooks", link).status());
            }
            // a fresh stack made its own random key: the other stack's link is not one of its own
            try (LocalRunner second = LocalRunner.start(jwksOnly(idp))) {
                assertError(new Http(second.httpUrl()).get("/webhooks", link), 401, "unauthorized");
                assertEquals(200, new Http(second.httpUrl()).get("/webhooks", platform).status());
            }
        }
    }
}
