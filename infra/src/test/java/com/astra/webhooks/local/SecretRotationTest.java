package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.assertError;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.store.dynamodb.TableLayout;
import com.svix.Webhook;
import com.svix.exceptions.EmptyWebhookSecretException;
import com.svix.exceptions.WebhookVerificationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * POST /webhooks/{id}/rotate-secret through the runner: receivers verifying with Svix's own
 * library, each holding one secret, on real deliveries pushed on SQS; the retired secret read
 * back from the raw table item to show it is erased, not merely ignored.
 */
@ExtendWith(AstraLocalExtension.class)
class SecretRotationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TenantClient tenant = new TenantClient();
    private final Receiver receiver = new Receiver();
    private final DynamoDbClient dynamo;

    SecretRotationTest(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    private Map<String, Object> rotate(String id, String body) {
        Http.Response r = tenant.http.post("/webhooks/" + id + "/rotate-secret", tenant.token, body);
        assertEquals(200, r.status(), r.body());
        return json(r);
    }

    /** The webhook's item as stored, read past every API code path (so no reader erases anything). */
    private Map<String, AttributeValue> rawItem(String id) {
        return dynamo.getItem(b -> b.tableName(AstraLocalExtension.tableName()).consistentRead(true)
                .key(Map.of(TableLayout.PK, AttributeValue.fromS(TableLayout.tenantKey(tenant.tenant)),
                        TableLayout.SK, AttributeValue.fromS(TableLayout.webhookSortKey(id))))).item();
    }

    static boolean verifies(String secret, Receiver.Request r) {
        try {
            new Webhook(secret).verify(r.body(), r.signatureHeaders());
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        } catch (EmptyWebhookSecretException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void duringTheGraceBothSecretsVerifyAfterItOnlyTheNewOneAndTheOldIsErasedFromStorage() {
        Map<String, Object> created = tenant.createWebhook(receiver.url("/hook"), "[\"agent_completed\"]");
        String id = (String) created.get("id");
        String oldSecret = (String) created.get("secret");

        Map<String, Object> rotated = rotate(id, "{\"gracePeriodSeconds\": 6}");
        String newSecret = (String) rotated.get("secret");
        Instant expiresAt = Instant.parse((String) rotated.get("previousSecretExpiresAt"));
        assertEquals(id, rotated.get("id"));
        assertTrue(newSecret.startsWith("whsec_"));
        assertNotEquals(oldSecret, newSecret);
        assertTrue(Duration.between(Instant.now(), expiresAt).toSeconds() <= 6);
        assertEquals(oldSecret, rawItem(id).get("previousSecret").s(), "the old secret is kept for its grace");

        // One delivery inside the grace: a receiver holding only the old secret and one holding
        // only the new secret both verify it.
        tenant.push("agent_completed", Map.of("phase", "grace"));
        Receiver.Request during = receiver.await("/hook", 1, WAIT).get(0);
        assertTrue(Instant.ofEpochSecond(Long.parseLong(during.header("webhook-timestamp"))).isBefore(expiresAt),
                "the delivery was signed inside the grace period");
        assertEquals(2, during.header("webhook-signature").split(" ").length, during.header("webhook-signature"));
        assertTrue(verifies(oldSecret, during), "a receiver still on the old secret verifies");
        assertTrue(verifies(newSecret, during), "a receiver already on the new secret verifies");

        // Nothing reads the webhook after the grace: the scheduled erase alone removes the old secret.
        Eventually.await(Duration.ofSeconds(30), "the previous secret to be erased from the stored item",
                () -> !rawItem(id).containsKey("previousSecret"));
        Map<String, AttributeValue> item = rawItem(id);
        assertFalse(item.containsKey("previousSecretExpiresAt"));
        assertEquals(newSecret, item.get("secret").s());
        assertFalse(item.toString().contains(oldSecret.substring("whsec_".length())), "no trace of the old secret");
        assertTrue(Instant.now().isAfter(expiresAt), "not erased before its grace ended");

        tenant.push("agent_completed", Map.of("phase", "after"));
        Receiver.Request after = receiver.await("/hook", 2, WAIT).get(1);
        assertEquals(1, after.header("webhook-signature").split(" ").length, after.header("webhook-signature"));
        assertTrue(verifies(newSecret, after), "the new secret verifies");
        assertFalse(verifies(oldSecret, after), "the old secret no longer does");
    }

    @Test
    void rotatingAgainInsideTheGraceKeepsOnlyTheTwoNewestSecrets() {
        Map<String, Object> created = tenant.createWebhook(receiver.url("/twice"), "[\"agent_completed\"]");
        String id = (String) created.get("id");
        String first = (String) created.get("secret");
        String second = (String) rotate(id, "{\"gracePeriodSeconds\": 3600}").get("secret");
        String third = (String) rotate(id, "").get("secret");

        Map<String, AttributeValue> item = rawItem(id);
        assertEquals(third, item.get("secret").s());
        assertEquals(second, item.get("previousSecret").s());
        assertFalse(item.toString().contains(first.substring("whsec_".length())), "the oldest secret is gone");

        assertEquals(200, tenant.post("/webhooks/" + id + "/test").status(), "a test send is signed like a delivery");
        Receiver.Request test = receiver.await("/twice", 1, WAIT).get(0);
        assertEquals(2, test.header("webhook-signature").split(" ").length);
        assertTrue(verifies(third, test));
        assertTrue(verifies(second, test));
        assertFalse(verifies(first, test));
    }

    @Test
    void aZeroGracePeriodRetiresTheOldSecretAtOnce() {
        Map<String, Object> created = tenant.createWebhook(receiver.url("/now"), "[\"agent_completed\"]");
        String id = (String) created.get("id");
        Map<String, Object> rotated = rotate(id, "{\"gracePeriodSeconds\": 0}");
        assertFalse(rawItem(id).containsKey("previousSecret"), "nothing kept, nothing to erase later");
        assertFalse(Instant.parse((String) rotated.get("previousSecretExpiresAt")).isAfter(Instant.now()));

        assertEquals(200, tenant.post("/webhooks/" + id + "/test").status());
        Receiver.Request test = receiver.await("/now", 1, WAIT).get(0);
        assertTrue(verifies((String) rotated.get("secret"), test));
        assertFalse(verifies((String) created.get("secret"), test));
    }

    @Test
    void theDefaultGraceIsOneDayAndTheSecretIsNeverShownAgain() {
        String id = (String) tenant.createWebhook(receiver.url("/x"), "\"*\"").get("id");
        Instant before = Instant.now();
        Http.Response noBody = tenant.post("/webhooks/" + id + "/rotate-secret");
        assertEquals(200, noBody.status(), noBody.body());
        Instant expiresAt = Instant.parse((String) json(noBody).get("previousSecretExpiresAt"));
        assertFalse(expiresAt.isBefore(before.plus(Duration.ofDays(1)).minusSeconds(1)), expiresAt.toString());
        assertFalse(expiresAt.isAfter(Instant.now().plus(Duration.ofDays(1))), expiresAt.toString());

        Map<String, Object> shown = json(tenant.get("/webhooks/" + id));
        assertNull(shown.get("secret"));
        assertFalse(tenant.get("/webhooks/" + id).body().contains("whsec_"), "GET shows no secret, old or new");
        assertFalse(tenant.get("/webhooks").body().contains("whsec_"));
    }

    @Test
    void badBodiesAre400AndChangeNothingAndAnotherTenantGets404() {
        String id = (String) tenant.createWebhook(receiver.url("/y"), "\"*\"").get("id");
        Map<String, AttributeValue> before = rawItem(id);
        for (String body : List.of("{\"gracePeriodSeconds\": -1}", "{\"gracePeriodSeconds\": 604801}",
                "{\"gracePeriodSeconds\": 1.5}", "{\"gracePeriodSeconds\": \"60\"}", "{\"gracePeriodSeconds\": null}",
                "{\"grace\": 60}", "[]", "{\"gracePeriodSeconds\": 60")) {
            Http.Response r = tenant.http.post("/webhooks/" + id + "/rotate-secret", tenant.token, body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            assertError(r, 400, ((Map<?, ?>) json(r).get("error")).get("code").toString());
            assertEquals(before, rawItem(id), "a refused rotation changes nothing: " + body);
        }
        assertEquals(200, tenant.http.post("/webhooks/" + id + "/rotate-secret", tenant.token,
                "{\"gracePeriodSeconds\": 604800}").status(), "a week is allowed");

        TenantClient other = new TenantClient();
        assertError(other.http.post("/webhooks/" + id + "/rotate-secret", other.token, "{}"), 404, "not_found");
        assertError(tenant.http.post("/webhooks/wh_00000000000000000000000000/rotate-secret", tenant.token, null),
                404, "not_found");
        assertThrows(AssertionError.class, () -> assertEquals(before.get("secret"), rawItem(id).get("secret")),
                "only the owner's rotation changed the secret");
    }

    @Test
    void aReaderErasesAnExpiredPreviousSecretItSees() {
        String id = (String) tenant.createWebhook(receiver.url("/z"), "\"*\"").get("id");
        rotate(id, "{\"gracePeriodSeconds\": 3600}");
        // Age the grace in place, as if an hour had passed and the scheduled erase had not run yet.
        dynamo.updateItem(b -> b.tableName(AstraLocalExtension.tableName())
                .key(Map.of(TableLayout.PK, AttributeValue.fromS(TableLayout.tenantKey(tenant.tenant)),
                        TableLayout.SK, AttributeValue.fromS(TableLayout.webhookSortKey(id))))
                .updateExpression("SET previousSecretExpiresAt = :past")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromN(
                        Long.toString(Instant.now().minusSeconds(1).toEpochMilli())))));
        assertTrue(rawItem(id).containsKey("previousSecret"));

        assertEquals(200, tenant.get("/webhooks/" + id).status());
        assertFalse(rawItem(id).containsKey("previousSecret"), "the GET that saw it expired erased it");
        assertFalse(rawItem(id).containsKey("previousSecretExpiresAt"));
    }
}
