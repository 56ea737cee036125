package com.astra.webhooks.auth;

import com.astra.webhooks.auth.TokenIssuer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.config.Settings;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenVerifierHs256Test {

    /** The local default: deliberately shorter than the 256 bits nimbus's own MAC classes demand. */
    static final String SECRET = "local-dev-secret";
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final TokenVerifier verifier = verifier(null, null, null);

    static TokenVerifier verifier(String issuer, String audience, String tenantClaim) {
        return new TokenVerifier(SECRET, null, issuer, audience, tenantClaim, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static JWTClaimsSet.Builder claims(String sub) {
        return new JWTClaimsSet.Builder().subject(sub)
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** HS256 without nimbus at all, the way jwt.io or any other library does it. */
    static String handSigned(String headerJson, String payloadJson, String secret) throws Exception {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }

    static String reason(TokenVerifier v, String header) {
        return assertThrows(UnauthorizedException.class, () -> v.tenantOf(header)).getMessage();
    }

    @Test
    void acceptsValidHs256Token() {
        String token = TokenIssuer.sign(SECRET, claims("acme").build());
        assertEquals("acme", verifier.tenantOf(bearer(token)));
    }

    @Test
    void acceptsTokenFromIssuerWithRealClock() {
        TokenVerifier real = new TokenVerifier(SECRET, null, null, null, null);
        assertEquals("acme", real.tenantOf(bearer(TokenIssuer.issueHs256(SECRET, "acme", Duration.ofMinutes(5)))));
    }

    @Test
    void acceptsTokenSignedIndependentlyWithRawShortSecret() throws Exception {
        long exp = NOW.getEpochSecond() + 600;
        String token = handSigned("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"sub\":\"tenant-42\",\"exp\":" + exp + "}", SECRET);
        assertEquals("tenant-42", verifier.tenantOf(bearer(token)));
    }

    @Test
    void issuedTokenCarriesSubIatAndExp() throws Exception {
        String token = TokenIssuer.issueHs256(SECRET, "acme", Duration.ofMinutes(15));
        JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals("acme", c.getSubject());
        assertEquals(Duration.ofMinutes(15),
                Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant()));
        // and it is plain HS256 over the raw secret: an independent HMAC gives the same signature
        String[] parts = token.split("\\.");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(expected), parts[2]);
    }

    @Test
    void issuerRefusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> TokenIssuer.issueHs256(SECRET, "a#b", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> TokenIssuer.issueHs256(SECRET, "acme", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TokenIssuer.issueHs256("", "acme", Duration.ofMinutes(1)));
    }

    @Test
    void rejectsExpiredToken() {
        String token = TokenIssuer.sign(SECRET, claims("acme").expirationTime(Date.from(NOW.minusSeconds(31))).build());
        assertEquals("token expired", reason(verifier, bearer(token)));
    }

    @Test
    void toleratesSmallClockSkew() {
        String expired = TokenIssuer.sign(SECRET, claims("acme").expirationTime(Date.from(NOW.minusSeconds(20))).build());
        String early = TokenIssuer.sign(SECRET, claims("acme").notBeforeTime(Date.from(NOW.plusSeconds(20))).build());
        assertEquals("acme", verifier.tenantOf(bearer(expired)));
        assertEquals("acme", verifier.tenantOf(bearer(early)));
    }

    @Test
    void rejectsTokenNotYetValid() {
        String token = TokenIssuer.sign(SECRET, claims("acme").notBeforeTime(Date.from(NOW.plusSeconds(120))).build());
        assertEquals("token not yet valid", reason(verifier, bearer(token)));
    }

    @Test
    void acceptsTokenWithoutExpBecauseDesignOnlyEnforcesItWhenPresent() {
        String token = TokenIssuer.sign(SECRET, new JWTClaimsSet.Builder().subject("acme").build());
        assertEquals("acme", verifier.tenantOf(bearer(token)));
    }

    @Test
    void rejectsWrongSecret() {
        String token = TokenIssuer.sign("some-other-secret", claims("acme").build());
        assertEquals("invalid signature", reason(verifier, bearer(token)));
    }

    @Test
    void rejectsTamperedPayload() {
        String[] parts = TokenIssuer.sign(SECRET, claims("acme").build()).split("\\.");
        String forged = parts[0] + "." + b64("{\"sub\":\"victim\",\"exp\":" + (NOW.getEpochSecond() + 600) + "}")
                + "." + parts[2];
        assertEquals("invalid signature", reason(verifier, bearer(forged)));
    }

    @Test
    void rejectsAlgNone() throws Exception {
        String payload = b64("{\"sub\":\"acme\"}");
        String unsigned = b64("{\"alg\":\"none\"}") + "." + payload + ".";
        assertEquals("token must be signed", reason(verifier, bearer(unsigned)));
        // "none" in another spelling is not a known JWS algorithm and must not slip through either
        String noneCased = handSigned("{\"alg\":\"None\"}", "{\"sub\":\"acme\"}", SECRET);
        assertThrows(UnauthorizedException.class, () -> verifier.tenantOf(bearer(noneCased)));
        String noSignaturePart = b64("{\"alg\":\"HS256\"}") + "." + payload + ".";
        assertThrows(UnauthorizedException.class, () -> verifier.tenantOf(bearer(noSignaturePart)));
    }

    @Test
    void rejectsEncryptedJwt() throws Exception {
        byte[] key = new byte[16];
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A128GCM),
                claims("acme").build());
        jwe.encrypt(new DirectEncrypter(key));
        assertEquals("token must be signed", reason(verifier, bearer(jwe.serialize())));
    }

    @Test
    void rejectsRs256WhenOnlySecretConfigured() throws Exception {
        // Algorithm confusion the other way: header says RS256, "signature" is an HMAC.
        String token = handSigned("{\"alg\":\"RS256\"}", "{\"sub\":\"acme\"}", SECRET);
        assertEquals("unexpected token algorithm", reason(verifier, bearer(token)));
        String hs512 = handSigned("{\"alg\":\"HS512\"}", "{\"sub\":\"acme\"}", SECRET);
        assertEquals("unexpected token algorithm", reason(verifier, bearer(hs512)));
    }

    @Test
    void rejectsUnknownCriticalHeader() throws Exception {
        String token = handSigned("{\"alg\":\"HS256\",\"crit\":[\"exp-ext\"],\"exp-ext\":1}", "{\"sub\":\"acme\"}", SECRET);
        assertEquals("unsupported critical header", reason(verifier, bearer(token)));
    }

    @Test
    void rejectsForeignTokenType() throws Exception {
        String token = handSigned("{\"alg\":\"HS256\",\"typ\":\"logout+jwt\"}", "{\"sub\":\"acme\"}", SECRET);
        assertEquals("unexpected token type", reason(verifier, bearer(token)));
        String accessToken = handSigned("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", "{\"sub\":\"acme\"}", SECRET);
        assertEquals("acme", verifier.tenantOf(bearer(accessToken)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer", "Bearer    ", "Bearerxyz", "Token abc.def.ghi",
            "Bearer abc def", "Bearer not-a-jwt", "Bearer a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.sig"})
    void rejectsMalformedHeader(String header) {
        assertThrows(UnauthorizedException.class, () -> verifier.tenantOf(header));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void rejectsMissingHeader(String header) {
        assertEquals("missing bearer token", reason(verifier, header));
    }

    @Test
    void rejectsOversizedToken() {
        String token = TokenIssuer.sign(SECRET, claims("acme").claim("pad", "x".repeat(9000)).build());
        assertEquals("token too large", reason(verifier, bearer(token)));
    }

    @Test
    void toleratesSurroundingWhitespaceAndSchemeCase() {
        String token = TokenIssuer.sign(SECRET, claims("acme").build());
        assertEquals("acme", verifier.tenantOf("  Bearer " + token + " \t"));
        assertEquals("acme", verifier.tenantOf("bearer   " + token));
        assertEquals("acme", verifier.tenantOf("BEARER " + token));
    }

    @Test
    void enforcesIssuerAndAudienceWhenConfigured() {
        TokenVerifier strict = verifier("https://id.example", "astra-webhooks", null);
        String good = TokenIssuer.sign(SECRET, claims("acme").issuer("https://id.example")
                .audience(List.of("other", "astra-webhooks")).build());
        String wrongIss = TokenIssuer.sign(SECRET, claims("acme").issuer("https://evil.example").audience("astra-webhooks").build());
        String noIss = TokenIssuer.sign(SECRET, claims("acme").audience("astra-webhooks").build());
        String wrongAud = TokenIssuer.sign(SECRET, claims("acme").issuer("https://id.example").audience("other").build());
        String noAud = TokenIssuer.sign(SECRET, claims("acme").issuer("https://id.example").build());

        assertEquals("acme", strict.tenantOf(bearer(good)));
        assertEquals("wrong token issuer", reason(strict, bearer(wrongIss)));
        assertEquals("wrong token issuer", reason(strict, bearer(noIss)));
        assertEquals("wrong token audience", reason(strict, bearer(wrongAud)));
        assertEquals("wrong token audience", reason(strict, bearer(noAud)));
        // not configured: not checked
        assertEquals("acme", verifier.tenantOf(bearer(wrongIss)));
    }

    @Test
    void usesConfiguredTenantClaim() {
        TokenVerifier byOrg = verifier(null, null, "org_id");
        String token = TokenIssuer.sign(SECRET, claims("user-1").claim("org_id", "org-9").build());
        assertEquals("org-9", byOrg.tenantOf(bearer(token)));
        assertEquals("user-1", verifier.tenantOf(bearer(token)));
        String withoutOrg = TokenIssuer.sign(SECRET, claims("user-1").build());
        assertEquals("missing tenant claim", reason(byOrg, bearer(withoutOrg)));
    }

    @Test
    void rejectsTenantWithHash() {
        String token = TokenIssuer.sign(SECRET, claims("acme#WEBHOOK#wh_1").build());
        assertEquals("invalid tenant claim", reason(verifier, bearer(token)));
    }

    @Test
    void rejectsUnsafeTenants() {
        for (Object bad : new Object[] {" ", "", "a\u0000b", "line\nbreak", "\u007f", "x".repeat(257), 42, List.of("acme"), true}) {
            String token = TokenIssuer.sign(SECRET, claims("ignored").claim("tenant", bad).build());
            assertEquals("invalid tenant claim", reason(verifier(null, null, "tenant"), bearer(token)), "tenant " + bad);
        }
        String missingSub = TokenIssuer.sign(SECRET, new JWTClaimsSet.Builder().expirationTime(Date.from(NOW.plusSeconds(60))).build());
        assertEquals("missing tenant claim", reason(verifier, bearer(missingSub)));
    }

    /** DynamoDB cannot store half a surrogate pair (a SerializationException): such a tenant is refused at the door. */
    @Test
    void rejectsTenantsWithALoneSurrogate() throws Exception {
        long exp = NOW.plusSeconds(60).getEpochSecond();
        for (String escaped : List.of("\\ud800", "a\\udc00b", "x\\ud83d")) {
            String token = handSigned("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                    "{\"sub\":\"" + escaped + "\",\"exp\":" + exp + "}", SECRET);
            assertEquals("invalid tenant claim", reason(verifier, bearer(token)), "tenant " + escaped);
        }
        String pair = handSigned("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"a\\ud83d\\ude00\",\"exp\":" + exp + "}",
                SECRET);
        assertEquals("a\uD83D\uDE00", verifier.tenantOf(bearer(pair)), "a whole pair is one character");
    }

    @Test
    void acceptsTenantAtMaximumLengthAndWithUnicode() {
        String longest = "t".repeat(256);
        assertEquals(longest, verifier.tenantOf(bearer(TokenIssuer.sign(SECRET, claims(longest).build()))));
        assertEquals("café-東京", verifier.tenantOf(bearer(TokenIssuer.sign(SECRET, claims("café-東京").build()))));
    }

    @Test
    void messagesNeverContainTheToken() {
        String token = TokenIssuer.sign("wrong-secret", claims("acme").build());
        for (String header : List.of(bearer(token), bearer(token.substring(0, token.length() / 2)), "Basic " + token)) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> verifier.tenantOf(header));
            assertFalse(e.getMessage().contains(token.substring(0, 10)));
            assertEquals(null, e.getCause());
        }
    }

    @Test
    void readsSettingsFromConfig() {
        Settings config = Settings.parse(Map.of(Settings.JWT_SECRET, SECRET, Settings.JWT_ISSUER, "iss-1",
                Settings.JWT_AUDIENCE, "aud-1", Settings.TENANT_CLAIM, "org"));
        TokenVerifier fromConfig = new TokenVerifier(config);
        String good = TokenIssuer.sign(SECRET, new JWTClaimsSet.Builder().issuer("iss-1").audience("aud-1")
                .claim("org", "o1").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        assertEquals("o1", fromConfig.tenantOf(bearer(good)));
    }

    @Test
    void aRotatedSecretTakesOverFromTheOldOne() {
        java.util.concurrent.atomic.AtomicReference<String> current = new java.util.concurrent.atomic.AtomicReference<>(SECRET);
        TokenVerifier v = new TokenVerifier(current::get, null, null, null, null);
        String old = TokenIssuer.sign(SECRET, claims("acme").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        assertEquals("acme", v.tenantOf(bearer(old)));
        current.set("a-rotated-secret-of-at-least-32-chars");
        assertThrows(UnauthorizedException.class, () -> v.tenantOf(bearer(old)));
        String fresh = TokenIssuer.sign(current.get(), claims("acme").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        assertEquals("acme", v.tenantOf(bearer(fresh)));
    }

    @Test
    void anUnreadableSecretRefusesTheTokenAsKeysUnavailable() {
        TokenVerifier v = new TokenVerifier(() -> { throw new IllegalStateException("Secrets Manager down"); }, null, null, null, null);
        String token = TokenIssuer.sign(SECRET, claims("acme").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        assertThrows(KeySourceUnavailableException.class, () -> v.tenantOf(bearer(token)));
    }

    @Test
    void failsFastWithoutKeySource() {
        assertThrows(IllegalStateException.class, () -> new TokenVerifier(Settings.parse(Map.of())));
        assertThrows(IllegalStateException.class, () -> new TokenVerifier(" ", "", null, null, null));
        assertThrows(IllegalStateException.class, () -> new TokenVerifier((String) null, "not a url", null, null, null));
        assertThrows(IllegalStateException.class, () -> new TokenVerifier((String) null, "file:///etc/jwks.json", null, null, null));
    }

    @Test
    void verifiesConcurrentlyFromOneInstance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String tenant = "t" + (i % 17);
                boolean valid = i % 3 != 0;
                String token = TokenIssuer.sign(valid ? SECRET : "nope", claims(tenant).build());
                results.add(pool.submit(() -> {
                    try {
                        String got = verifier.tenantOf(bearer(token));
                        return valid && tenant.equals(got);
                    } catch (UnauthorizedException e) {
                        return !valid;
                    }
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void headerBuiltByNimbusWithTypJwtVerifies() {
        // Guards the typ check: nimbus writes "JWT", as do most libraries.
        String token = TokenIssuer.sign(SECRET, claims("acme").build());
        assertEquals(JOSEObjectType.JWT.getType(), parseHeader(token).getType().getType());
        assertEquals(Set.of(JWSAlgorithm.HS256), Set.of(parseHeader(token).getAlgorithm()));
    }

    private static JWSHeader parseHeader(String token) {
        try {
            return SignedJWT.parse(token).getHeader();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
