package com.astra.webhooks.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.svix.Webhook;
import com.svix.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final String MSG_ID = "evt_01hzexample";
    private static final String BODY = "{\"id\":\"evt_01hzexample\",\"event\":\"agent_completed\",\"data\":{\"ok\":true,\"name\":\"Zoë\"}}";

    private final WebhookSigner signer = new WebhookSigner();

    private static Map<String, List<String>> headers(String id, long ts, String signature) {
        return Map.of(
                "webhook-id", List.of(id),
                "webhook-timestamp", List.of(Long.toString(ts)),
                "webhook-signature", List.of(signature));
    }

    @Test
    void newSecretIsWhsecPrefixedBase64OfThirtyTwoRandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = WebhookSigner.newSecret();
            assertTrue(secret.startsWith("whsec_"), secret);
            assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
            seen.add(secret);
        }
        assertEquals(100, seen.size(), "secrets must not repeat");
    }

    @Test
    void signatureIsV1CommaBase64HmacOfIdDotTimestampDotBody() throws Exception {
        String secret = WebhookSigner.newSecret();
        long ts = 1_700_000_000L;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        byte[] expected = mac.doFinal((MSG_ID + "." + ts + "." + BODY).getBytes(StandardCharsets.UTF_8));

        String signature = signer.sign(secret, MSG_ID, ts, BODY);

        assertTrue(signature.startsWith("v1,"), signature);
        assertArrayEquals(expected, Base64.getDecoder().decode(signature.substring(3)));
    }

    @Test
    void matchesTheStandardWebhooksSpecExample() {
        // Test vector from the Standard Webhooks specification / svix test-suite.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String signature = signer.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    @Test
    void deliveryVerifiesWithTheSvixLibrary() throws Exception {
        String secret = WebhookSigner.newSecret();
        long now = Instant.now().getEpochSecond();
        String signature = signer.sign(secret, MSG_ID, now, BODY);

        assertDoesNotThrow(() -> new Webhook(secret).verify(BODY, headers(MSG_ID, now, signature)));
    }

    @Test
    void tamperedBodyFailsVerification() throws Exception {
        String secret = WebhookSigner.newSecret();
        long now = Instant.now().getEpochSecond();
        String signature = signer.sign(secret, MSG_ID, now, BODY);

        Webhook receiver = new Webhook(secret);
        assertThrows(WebhookVerificationException.class,
                () -> receiver.verify(BODY.replace("true", "false"), headers(MSG_ID, now, signature)));
    }

    @Test
    void tamperedIdOrTimestampFailsVerification() throws Exception {
        String secret = WebhookSigner.newSecret();
        long now = Instant.now().getEpochSecond();
        String signature = signer.sign(secret, MSG_ID, now, BODY);

        Webhook receiver = new Webhook(secret);
        assertThrows(WebhookVerificationException.class,
                () -> receiver.verify(BODY, headers("evt_other", now, signature)));
        assertThrows(WebhookVerificationException.class,
                () -> receiver.verify(BODY, headers(MSG_ID, now - 1, signature)));
    }

    @Test
    void wrongSecretFailsVerification() throws Exception {
        long now = Instant.now().getEpochSecond();
        String signature = signer.sign(WebhookSigner.newSecret(), MSG_ID, now, BODY);

        Webhook receiver = new Webhook(WebhookSigner.newSecret());
        assertThrows(WebhookVerificationException.class, () -> receiver.verify(BODY, headers(MSG_ID, now, signature)));
    }

    @Test
    void timestampOlderThanTheReceiversToleranceFailsVerification() throws Exception {
        String secret = WebhookSigner.newSecret();
        long tenMinutesAgo = Instant.now().getEpochSecond() - 600;
        String signature = signer.sign(secret, MSG_ID, tenMinutesAgo, BODY);

        Webhook receiver = new Webhook(secret);
        assertThrows(WebhookVerificationException.class,
                () -> receiver.verify(BODY, headers(MSG_ID, tenMinutesAgo, signature)));
    }

    @Test
    void duringRotationBothSecretsVerifyTheSameHeader() throws Exception {
        String oldSecret = WebhookSigner.newSecret();
        String newSecret = WebhookSigner.newSecret();
        long now = Instant.now().getEpochSecond();

        String header = signer.signatureHeader(List.of(newSecret, oldSecret), MSG_ID, now, BODY);

        String[] parts = header.split(" ");
        assertEquals(2, parts.length, header);
        assertEquals(signer.sign(newSecret, MSG_ID, now, BODY), parts[0]);
        assertEquals(signer.sign(oldSecret, MSG_ID, now, BODY), parts[1]);
        assertDoesNotThrow(() -> new Webhook(oldSecret).verify(BODY, headers(MSG_ID, now, header)));
        assertDoesNotThrow(() -> new Webhook(newSecret).verify(BODY, headers(MSG_ID, now, header)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(WebhookSigner.newSecret()).verify(BODY, headers(MSG_ID, now, header)));
    }

    @Test
    void singleSecretHeaderIsJustItsSignature() {
        String secret = WebhookSigner.newSecret();
        assertEquals(signer.sign(secret, MSG_ID, 1L, BODY), signer.signatureHeader(List.of(secret), MSG_ID, 1L, BODY));
    }

    @Test
    void signingDependsOnEveryInput() {
        String secret = WebhookSigner.newSecret();
        String base = signer.sign(secret, MSG_ID, 1L, BODY);
        assertNotEquals(base, signer.sign(secret, MSG_ID + "x", 1L, BODY));
        assertNotEquals(base, signer.sign(secret, MSG_ID, 2L, BODY));
        assertNotEquals(base, signer.sign(secret, MSG_ID, 1L, BODY + " "));
        assertNotEquals(base, signer.sign(WebhookSigner.newSecret(), MSG_ID, 1L, BODY));
    }

    @Test
    void refusesMalformedSecretsWithoutEchoingThem() {
        for (String bad : new String[] {null, "", "whsec_", "secret_abc", "whsec_not*base64!"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> signer.sign(bad, MSG_ID, 1L, BODY));
            if (bad != null && bad.length() > 6) {
                assertFalse(e.getMessage().contains(bad.substring(6)), e.getMessage());
            }
        }
    }

    @Test
    void refusesToSignWithNoSecrets() {
        assertThrows(IllegalArgumentException.class, () -> signer.signatureHeader(List.of(), MSG_ID, 1L, BODY));
        assertThrows(IllegalArgumentException.class, () -> signer.signatureHeader(null, MSG_ID, 1L, BODY));
    }
}
