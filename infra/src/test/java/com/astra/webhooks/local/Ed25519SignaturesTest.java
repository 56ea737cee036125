package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.store.dynamodb.TableLayout;
import com.svix.Webhook;
import com.svix.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Ed25519 ({@code v1a}) signatures through the runner, checked the way receivers check them: the
 * JDK's {@code Signature} with only the {@code whpk_} public key from the API, Node's
 * {@code crypto.verify} in a real node process ({@link NodeVerifier}), and, for {@code both},
 * Svix's library on the {@code v1} part. The private key is read from the raw table item only,
 * to show that no response, no test-mode entry and no delivery carries it.
 */
@ExtendWith(AstraLocalExtension.class)
class Ed25519SignaturesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** AstraLocalExtension's retry schedule (1 s x 7): eight attempts, then failed for good. */
    private static final int ATTEMPTS = 8;

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();
    private final DynamoDbClient dynamo;
    /** Every response body this test got, searched for private keys at the end. */
    private final List<String> responses = new ArrayList<>();

    Ed25519SignaturesTest(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void ed25519AndBothDeliveriesVerifyWithTheJdkNodeAndSvixAndATamperedBodyOrTimestampDoesNot() {
        Map<String, Object> ed = create(receiver.url("/ed"), "ed25519");
        Map<String, Object> both = create(receiver.url("/both"), "both");
        String edKey = (String) ed.get("publicKey");
        String bothKey = (String) both.get("publicKey");
        assertTrue(edKey.matches("whpk_[A-Za-z0-9+/]{43}="), edKey);
        assertNotEquals(edKey, bothKey, "a key pair per webhook");
        assertEquals(edKey, json(get("/webhooks/" + ed.get("id"))).get("publicKey"), "GET shows the public key");

        tenant.push("agent_completed", Map.of("note", "signed"));
        Receiver.Request edGot = receiver.await("/ed", 1, WAIT).get(0);
        Receiver.Request bothGot = receiver.await("/both", 1, WAIT).get(0);

        String[] edSignatures = edGot.header("webhook-signature").split(" ");
        assertEquals(1, edSignatures.length, edGot.header("webhook-signature"));
        assertTrue(edSignatures[0].startsWith("v1a,"), "ed25519 sends v1a alone: " + edSignatures[0]);
        String[] bothSignatures = bothGot.header("webhook-signature").split(" ");
        assertEquals(2, bothSignatures.length);
        assertTrue(bothSignatures[0].startsWith("v1,") && bothSignatures[1].startsWith("v1a,"), bothGot.header("webhook-signature"));

        assertTrue(jdkVerifies(edKey, edGot), "JDK, ed25519");
        assertTrue(jdkVerifies(bothKey, bothGot), "JDK, both");
        assertTrue(svixVerifies((String) both.get("secret"), bothGot), "Svix on the v1 part of both");
        assertFalse(svixVerifies((String) ed.get("secret"), edGot), "an ed25519 delivery carries no HMAC signature");
        assertFalse(jdkVerifies(bothKey, edGot), "another webhook's key does not verify");

        Receiver.Request edBody = tamperBody(edGot);
        Receiver.Request edTime = tamperTimestamp(edGot);
        Receiver.Request bothBody = tamperBody(bothGot);
        Receiver.Request bothTime = tamperTimestamp(bothGot);
        for (Receiver.Request tampered : List.of(edBody, edTime)) {
            assertFalse(jdkVerifies(edKey, tampered), "JDK refuses a tampered delivery");
        }
        assertFalse(jdkVerifies(bothKey, bothBody));
        assertFalse(jdkVerifies(bothKey, bothTime));
        assertFalse(svixVerifies((String) both.get("secret"), bothBody), "Svix refuses a tampered body");
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook((String) both.get("secret")).verify(bothTime.body(), bothTime.signatureHeaders()));

        assertEquals(List.of(true, true, false, false, false, false, false), NodeVerifier.verify(List.of(
                NodeVerifier.Check.of(edKey, edGot), NodeVerifier.Check.of(bothKey, bothGot),
                NodeVerifier.Check.of(edKey, edBody), NodeVerifier.Check.of(edKey, edTime),
                NodeVerifier.Check.of(bothKey, bothBody), NodeVerifier.Check.of(bothKey, bothTime),
                NodeVerifier.Check.of(bothKey, edGot))), "Node: the real deliveries verify, tampered ones do not");

        assertNoPrivateKeyShown(List.of((String) ed.get("id"), (String) both.get("id")));
    }

    @Test
    void testSendsResendsRecoversAndTestModeEntriesAreSignedWithV1a() {
        receiver.script("/down", repeat(Receiver.Answer.status(500), ATTEMPTS));
        Map<String, Object> hook = create(receiver.url("/down"), "ed25519");
        String id = (String) hook.get("id");
        String key = (String) hook.get("publicKey");
        Instant since = Instant.now().minusSeconds(1);

        // A delivery that fails for good, then recover sends it again.
        tenant.push("agent_completed", Map.of("note", "recover me"));
        receiver.await("/down", ATTEMPTS, Duration.ofSeconds(60));
        Eventually.await(Duration.ofSeconds(30), "the final failure recorded",
                () -> data(get("/webhooks/" + id + "/deliveries")).stream()
                        .anyMatch(d -> "failed".equals(d.get("outcome")) && d.get("nextAttemptAt") == null));
        Http.Response recover = tenant.http.post("/webhooks/" + id + "/recover", tenant.token, "{\"since\": \"" + since + "\"}");
        responses.add(recover.body());
        assertEquals(202, recover.status(), recover.body());
        Receiver.Request recovered = receiver.await("/down", ATTEMPTS + 1, WAIT).get(ATTEMPTS);

        Http.Response test = post("/webhooks/" + id + "/test");
        assertEquals(200, test.status(), test.body());
        Receiver.Request tested = receiver.await("/down", ATTEMPTS + 2, WAIT).get(ATTEMPTS + 1);
        assertEquals("webhook.test", json(test).get("eventType"));

        Http.Response resend = post("/webhook-inspector/" + json(test).get("id") + "/resend");
        assertEquals(200, resend.status(), resend.body());
        Receiver.Request resent = receiver.await("/down", ATTEMPTS + 3, WAIT).get(ATTEMPTS + 2);

        for (Receiver.Request r : List.of(receiver.requests("/down").get(0), recovered, tested, resent)) {
            assertTrue(r.header("webhook-signature").startsWith("v1a,"), r.header("webhook-signature"));
            assertTrue(jdkVerifies(key, r), "verifies: " + r.body());
        }
        assertEquals(List.of(true, true, true), NodeVerifier.verify(List.of(NodeVerifier.Check.of(key, recovered),
                NodeVerifier.Check.of(key, tested), NodeVerifier.Check.of(key, resent))));

        // Test mode: the intercepted entry shows the headers that would have been sent, v1a included.
        assertEquals(200, post("/webhooks/test-mode/enable").status());
        String eventId = tenant.push("agent_completed", Map.of("note", "intercepted"));
        Eventually.await(WAIT, "the intercepted entry", () -> data(get("/webhooks/test-mode/log")).stream()
                .anyMatch(e -> eventId.equals(e.get("eventId"))));
        Map<String, Object> entry = data(get("/webhooks/test-mode/log")).stream()
                .filter(e -> eventId.equals(e.get("eventId"))).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) entry.get("requestHeaders");
        Receiver.Request wouldHaveBeen = new Receiver.Request("/down", Map.of("webhook-id", headers.get("webhook-id"),
                "webhook-timestamp", headers.get("webhook-timestamp"), "webhook-signature", headers.get("webhook-signature")),
                (String) entry.get("payload"), Instant.now());
        assertTrue(headers.get("webhook-signature").startsWith("v1a,"), headers.toString());
        assertTrue(jdkVerifies(key, wouldHaveBeen), "the intercepted signature verifies");
        assertEquals(ATTEMPTS + 3, receiver.requests("/down").size(), "nothing sent in test mode");
        assertEquals(200, post("/webhooks/test-mode/disable").status());

        assertNoPrivateKeyShown(List.of(id));
    }

    @Test
    void duringARotationsGraceBothKeysVerifyAfterItOnlyTheNewOneAndTheOldPrivateKeyIsErased() {
        // A grace long enough for the first delivery on a loaded machine to fall inside it.
        Map<String, Object> created = create(receiver.url("/rot"), "ed25519");
        String id = (String) created.get("id");
        String oldKey = (String) created.get("publicKey");
        String oldPrivate = rawItem(id).get("signingKey").s();
        List<Map<String, Object>> before = data(get("/webhooks/" + id + "/signing-keys"));
        assertEquals(1, before.size(), before.toString());
        assertEquals(Map.of("kind", "ed25519", "publicKey", oldKey, "validFrom", created.get("createdAt")),
                withoutNulls(before.get(0)));

        Http.Response rotation = tenant.http.post("/webhooks/" + id + "/rotate-secret", tenant.token, "{\"gracePeriodSeconds\": 15}");
        responses.add(rotation.body());
        assertEquals(200, rotation.status(), rotation.body());
        String newKey = (String) json(rotation).get("publicKey");
        String expiresAt = (String) json(rotation).get("previousSecretExpiresAt");
        assertTrue(newKey.startsWith("whpk_") && !newKey.equals(oldKey), newKey);
        assertEquals(newKey, json(get("/webhooks/" + id)).get("publicKey"));
        List<Map<String, Object>> keys = data(get("/webhooks/" + id + "/signing-keys"));
        assertEquals(List.of(newKey, oldKey), keys.stream().map(k -> k.get("publicKey")).toList(), "current first");
        assertNull(keys.get(0).get("validUntil"));
        assertEquals(Instant.parse(expiresAt), Instant.parse((String) keys.get(1).get("validUntil")));

        tenant.push("agent_completed", Map.of("phase", "grace"));
        Receiver.Request during = receiver.await("/rot", 1, WAIT).get(0);
        assertTrue(Instant.ofEpochSecond(Long.parseLong(during.header("webhook-timestamp"))).isBefore(Instant.parse(expiresAt)));
        assertEquals(2, during.header("webhook-signature").split(" ").length, during.header("webhook-signature"));
        assertTrue(jdkVerifies(oldKey, during), "a receiver still holding the old public key verifies");
        assertTrue(jdkVerifies(newKey, during), "one that fetched the new key verifies");

        // Nothing reads the webhook after the grace: the scheduled erase alone removes the old key.
        Eventually.await(Duration.ofSeconds(45), "the previous key pair erased from the stored item",
                () -> !rawItem(id).containsKey("previousSigningKey"));
        assertFalse(rawItem(id).toString().contains(oldPrivate.substring("whsk_".length())), "no trace of the old private key");
        assertFalse(rawItem(id).containsKey("previousPublicKey"));

        tenant.push("agent_completed", Map.of("phase", "after"));
        Receiver.Request after = receiver.await("/rot", 2, WAIT).get(1);
        assertEquals(1, after.header("webhook-signature").split(" ").length, after.header("webhook-signature"));
        assertTrue(jdkVerifies(newKey, after));
        assertFalse(jdkVerifies(oldKey, after), "the old key no longer verifies");
        assertEquals(List.of(true, true, true, false), NodeVerifier.verify(List.of(NodeVerifier.Check.of(oldKey, during),
                NodeVerifier.Check.of(newKey, during), NodeVerifier.Check.of(newKey, after), NodeVerifier.Check.of(oldKey, after))));
        assertEquals(List.of(newKey), data(get("/webhooks/" + id + "/signing-keys")).stream().map(k -> k.get("publicKey")).toList());

        assertNoPrivateKeyShown(List.of(id));
    }

    @Test
    void aPutChangesTheModeGeneratingAKeyPairWhenFirstNeededAndHmacDropsIt() {
        Map<String, Object> created = create(receiver.url("/mode"), null);
        String id = (String) created.get("id");
        assertEquals("hmac", created.get("signing"));
        assertNull(created.get("publicKey"));
        assertEquals(List.of("hmac"), kinds(id));

        Map<String, Object> ed = json(put(id, "{\"signing\": \"ed25519\"}"));
        String key = (String) ed.get("publicKey");
        assertEquals("ed25519", ed.get("signing"));
        assertTrue(key.startsWith("whpk_"), key);
        assertEquals(List.of("ed25519"), kinds(id));

        Map<String, Object> both = json(put(id, "{\"signing\": \"both\", \"description\": \"moving\"}"));
        assertEquals(key, both.get("publicKey"), "ed25519 to both keeps the key receivers have");
        assertEquals(List.of("hmac", "ed25519"), kinds(id));
        assertEquals(200, post("/webhooks/" + id + "/test").status());
        Receiver.Request signedBoth = receiver.await("/mode", 1, WAIT).get(0);
        assertTrue(svixVerifies((String) created.get("secret"), signedBoth), "the secret from create still signs v1");
        assertTrue(jdkVerifies(key, signedBoth));

        Map<String, Object> hmac = json(put(id, "{\"signing\": \"hmac\"}"));
        assertNull(hmac.get("publicKey"));
        Map<String, AttributeValue> item = rawItem(id);
        assertFalse(item.containsKey("signingKey") || item.containsKey("publicKey"), "no key pair kept for hmac: " + item.keySet());
        assertEquals(200, post("/webhooks/" + id + "/test").status());
        Receiver.Request signedHmac = receiver.await("/mode", 2, WAIT).get(1);
        assertEquals(1, signedHmac.header("webhook-signature").split(" ").length);
        assertTrue(svixVerifies((String) created.get("secret"), signedHmac));

        String again = (String) json(put(id, "{\"signing\": \"ed25519\"}")).get("publicKey");
        assertNotEquals(key, again, "a dropped key pair is not brought back");

        for (String bad : List.of("\"rsa\"", "\"ED25519\"", "null", "1", "[\"hmac\"]")) {
            Http.Response r = tenant.http.put("/webhooks/" + id, tenant.token, "{\"signing\": " + bad + "}");
            assertError(r, 400, "validation_error");
            assertTrue(r.body().contains("signing"), r.body());
        }
        Http.Response badCreate = tenant.http.post("/webhooks", tenant.token,
                "{\"url\": \"" + receiver.url("/x") + "\", \"events\": \"*\", \"signing\": \"v1a\"}");
        assertError(badCreate, 400, "validation_error");
        assertTrue(badCreate.body().contains("signing"), badCreate.body());
        assertEquals(again, json(get("/webhooks/" + id)).get("publicKey"), "refused changes changed nothing");

        assertError(new TenantClient().get("/webhooks/" + id + "/signing-keys"), 404, "not_found");
        assertError(get("/webhooks/wh_00000000000000000000000000/signing-keys"), 404, "not_found");
        assertNoPrivateKeyShown(List.of(id));
    }

    private Map<String, Object> create(String url, String signing) {
        Http.Response r = tenant.http.post("/webhooks", tenant.token, "{\"url\": \"" + url + "\", \"events\": [\"agent_completed\"]"
                + (signing == null ? "" : ", \"signing\": \"" + signing + "\"") + "}");
        responses.add(r.body());
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

    private Http.Response get(String path) {
        Http.Response r = tenant.get(path);
        responses.add(r.body());
        return r;
    }

    private Http.Response post(String path) {
        Http.Response r = tenant.post(path);
        responses.add(r.body());
        return r;
    }

    private Http.Response put(String id, String body) {
        Http.Response r = tenant.http.put("/webhooks/" + id, tenant.token, body);
        responses.add(r.body());
        assertEquals(200, r.status(), r.body());
        return r;
    }

    private List<Object> kinds(String id) {
        return data(get("/webhooks/" + id + "/signing-keys")).stream().map(k -> k.get("kind")).toList();
    }

    /**
     * No response this test got, nor the tenant's lists, dispatches and test-mode log, holds a
     * private key: neither the webhooks' current ones (read from the table) nor any {@code whsk_}.
     */
    private void assertNoPrivateKeyShown(List<String> ids) {
        get("/webhooks");
        get("/webhooks/test-mode/log");
        get("/webhook-inspector");
        for (String id : ids) {
            get("/webhooks/" + id);
            get("/webhooks/" + id + "/deliveries");
            get("/webhooks/" + id + "/signing-keys");
        }
        List<String> privateKeys = new ArrayList<>();
        for (String id : ids) {
            AttributeValue key = rawItem(id).get("signingKey");
            if (key != null) {
                privateKeys.add(key.s().substring("whsk_".length()));
            }
        }
        List<String> seen = new ArrayList<>(responses);
        receiver.requests("/ed").forEach(r -> seen.add(r.headers() + r.body()));
        for (String body : seen) {
            assertFalse(body.contains("whsk_"), "a private key in a response: " + body);
            for (String key : privateKeys) {
                assertFalse(body.contains(key), "a private key in a response");
            }
        }
    }

    private Map<String, AttributeValue> rawItem(String id) {
        return dynamo.getItem(b -> b.tableName(AstraLocalExtension.tableName()).consistentRead(true)
                .key(Map.of(TableLayout.PK, AttributeValue.fromS(TableLayout.tenantKey(tenant.tenant)),
                        TableLayout.SK, AttributeValue.fromS(TableLayout.webhookSortKey(id))))).item();
    }

    /** What a receiver written with the JDK alone does: some v1a entry verifies with the public key. */
    static boolean jdkVerifies(String whpk, Receiver.Request r) {
        try {
            byte[] raw = Base64.getDecoder().decode(whpk.substring("whpk_".length()));
            // X.509 SubjectPublicKeyInfo of an Ed25519 key is a fixed 12-byte header, then the 32 bytes (RFC 8410).
            byte[] der = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            byte[] signed = (r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body())
                    .getBytes(StandardCharsets.UTF_8);
            for (String entry : r.header("webhook-signature").split(" ")) {
                if (entry.startsWith("v1a,")) {
                    Signature verifier = Signature.getInstance("Ed25519");
                    verifier.initVerify(key);
                    verifier.update(signed);
                    if (verifier.verify(Base64.getDecoder().decode(entry.substring(4)))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean svixVerifies(String secret, Receiver.Request r) {
        return SecretRotationTest.verifies(secret, r);
    }

    private static Receiver.Request tamperBody(Receiver.Request r) {
        String tampered = r.body().replace("\"agent_completed\"", "\"agent_failed\"");
        assertNotEquals(r.body(), tampered, "the body was changed");
        return new Receiver.Request(r.path(), r.headers(), tampered, r.at());
    }

    private static Receiver.Request tamperTimestamp(Receiver.Request r) {
        Map<String, String> headers = new java.util.TreeMap<>(r.headers());
        headers.put("webhook-timestamp", Long.toString(Long.parseLong(r.header("webhook-timestamp")) + 1));
        return new Receiver.Request(r.path(), headers, r.body(), r.at());
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> copy = new java.util.HashMap<>(m);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    private static Receiver.Answer[] repeat(Receiver.Answer answer, int times) {
        Receiver.Answer[] answers = new Receiver.Answer[times];
        Arrays.fill(answers, answer);
        return answers;
    }
}
