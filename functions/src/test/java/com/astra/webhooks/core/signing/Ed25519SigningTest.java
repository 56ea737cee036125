package com.astra.webhooks.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.svix.Webhook;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Ed25519 ({@code v1a}) signing: the RFC 8032 test vectors, the key texts, and the signature header. */
class Ed25519SigningTest {

    private static final String MSG_ID = "evt_01hzexample";
    private static final String BODY = "{\"id\":\"evt_01hzexample\",\"event\":\"agent_completed\",\"data\":{\"name\":\"Zoë\"}}";
    private static final HexFormat HEX = HexFormat.of();

    private final WebhookSigner signer = new WebhookSigner();

    /** RFC 8032 section 7.1, TEST 1, 2 and 3: secret key (seed), public key, message, signature. */
    @ParameterizedTest(name = "RFC 8032 7.1 TEST {0}")
    @CsvSource({
        "1, 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60, "
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '', "
                + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "2, 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb, "
                + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72, "
                + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        "3, c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7, "
                + "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025, af82, "
                + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
    })
    void signsAndVerifiesTheRfc8032Vectors(int test, String secretKey, String publicKey, String message, String signature)
            throws Exception {
        String whsk = "whsk_" + Base64.getEncoder().encodeToString(HEX.parseHex(secretKey));
        String whpk = "whpk_" + Base64.getEncoder().encodeToString(HEX.parseHex(publicKey));
        byte[] msg = HEX.parseHex(message);

        byte[] signed = WebhookSigner.ed25519(Ed25519KeyPair.privateKey(whsk), msg);
        assertArrayEquals(HEX.parseHex(signature), signed, "TEST " + test + ": the signature bytes");

        assertTrue(verify(Ed25519KeyPair.publicKey(whpk), msg, HEX.parseHex(signature)), "TEST " + test + " verifies");
        byte[] otherMessage = HEX.parseHex(message + "00");
        assertFalse(verify(Ed25519KeyPair.publicKey(whpk), otherMessage, HEX.parseHex(signature)),
                "TEST " + test + ": the signature does not fit another message");
    }

    @Test
    void aGeneratedPairIsTwoPrefixedBase64TextsOf32BytesThatSignAndVerify() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Ed25519KeyPair pair = Ed25519KeyPair.generate();
            assertTrue(pair.privateKey().startsWith("whsk_"), "private key prefix");
            assertTrue(pair.publicKey().startsWith("whpk_"), pair.publicKey());
            assertEquals(32, Base64.getDecoder().decode(pair.privateKey().substring(5)).length);
            assertEquals(32, Base64.getDecoder().decode(pair.publicKey().substring(5)).length);
            seen.add(pair.privateKey());
            byte[] msg = ("m" + i).getBytes(StandardCharsets.UTF_8);
            assertTrue(verify(Ed25519KeyPair.publicKey(pair.publicKey()), msg,
                    WebhookSigner.ed25519(Ed25519KeyPair.privateKey(pair.privateKey()), msg)));
        }
        assertEquals(20, seen.size(), "key pairs must not repeat");
    }

    @Test
    void aWhskKeySignsV1aOverIdDotTimestampDotBody() throws Exception {
        Ed25519KeyPair pair = Ed25519KeyPair.generate();
        long ts = 1_700_000_000L;
        String header = signer.sign(pair.privateKey(), MSG_ID, ts, BODY);

        assertTrue(header.startsWith("v1a,"), header);
        byte[] signature = Base64.getDecoder().decode(header.substring(4));
        assertEquals(64, signature.length);
        PublicKey key = Ed25519KeyPair.publicKey(pair.publicKey());
        assertTrue(verify(key, (MSG_ID + "." + ts + "." + BODY).getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(verify(key, (MSG_ID + "." + (ts + 1) + "." + BODY).getBytes(StandardCharsets.UTF_8), signature),
                "another timestamp");
        assertFalse(verify(key, (MSG_ID + "." + ts + "." + BODY + " ").getBytes(StandardCharsets.UTF_8), signature),
                "another body");
        assertFalse(verify(Ed25519KeyPair.publicKey(Ed25519KeyPair.generate().publicKey()),
                (MSG_ID + "." + ts + "." + BODY).getBytes(StandardCharsets.UTF_8), signature), "another key");
    }

    @Test
    void bothSchemesInOneHeaderStillVerifyWithSvixThroughTheirV1Part() throws Exception {
        String secret = WebhookSigner.newSecret();
        Ed25519KeyPair pair = Ed25519KeyPair.generate();
        long now = java.time.Instant.now().getEpochSecond();
        String header = signer.signatureHeader(List.of(secret, pair.privateKey()), MSG_ID, now, BODY);

        String[] parts = header.split(" ");
        assertEquals(2, parts.length, header);
        assertTrue(parts[0].startsWith("v1,") && parts[1].startsWith("v1a,"), header);
        new Webhook(secret).verify(BODY, Map.of("webhook-id", List.of(MSG_ID),
                "webhook-timestamp", List.of(Long.toString(now)), "webhook-signature", List.of(header)));
    }

    @Test
    void malformedKeysAreRefusedWithoutEchoingThem() {
        String shortKey = "whsk_" + Base64.getEncoder().encodeToString(new byte[16]);
        for (String bad : List.of(shortKey, "whsk_not base64!", "whpk_" + Base64.getEncoder().encodeToString(new byte[32]))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> signer.sign(bad, MSG_ID, 1L, BODY));
            assertFalse(e.getMessage().contains(bad.substring(5)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Ed25519KeyPair.publicKey("whsk_" + Base64.getEncoder().encodeToString(new byte[32])));
    }

    @Test
    void aKeyPairPrintsItsPublicHalfOnly() {
        Ed25519KeyPair pair = Ed25519KeyPair.generate();
        assertTrue(pair.toString().contains(pair.publicKey()));
        assertFalse(pair.toString().contains(pair.privateKey().substring(5)), "no private key in toString");
    }

    private static boolean verify(PublicKey key, byte[] message, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }
}
