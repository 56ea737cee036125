package com.astra.webhooks.auth;

import static com.astra.webhooks.auth.TokenVerifierHs256Test.NOW;
import static com.astra.webhooks.auth.TokenVerifierHs256Test.SECRET;
import static com.astra.webhooks.auth.TokenVerifierHs256Test.b64;
import static com.astra.webhooks.auth.TokenVerifierHs256Test.bearer;
import static com.astra.webhooks.auth.TokenVerifierHs256Test.handSigned;
import static com.astra.webhooks.auth.TokenVerifierHs256Test.reason;
import static com.astra.webhooks.auth.TokenVerifierHs256Test.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * How {@link CompactJws} and {@link JwtClaims} read a token, through {@link TokenVerifier}: every
 * header and claim that is checked must have the type the RFCs give it, or the token is
 * malformed; what passes is checked as before (algorithm, exp, nbf, iss, aud).
 */
class TokenReadingTest {

    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final long EXP = NOW.getEpochSecond() + 600;

    private final TokenVerifier verifier = verifier(null, null, null);
    private final TokenVerifier strict = verifier("https://id.example", "astra-webhooks", null);

    private static String claims(String more) {
        return "{\"sub\":\"acme\",\"exp\":" + EXP + (more.isEmpty() ? "" : "," + more) + "}";
    }

    @Test
    void theAlgorithmComesFromTheHeaderOnceAndMustBeOneTheKeySourceSigns() throws Exception {
        // two alg members: no parser gets to pick one
        assertEquals("malformed token", reason(verifier, bearer(handSigned("{\"alg\":\"none\",\"alg\":\"HS256\"}",
                claims(""), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned("{\"alg\":\"HS256\",\"alg\":\"RS256\"}",
                claims(""), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned("{\"typ\":\"JWT\"}", claims(""), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned("{\"alg\":256}", claims(""), SECRET))));
        // names are exact: HS256 only, as the configured key source signs
        assertEquals("unexpected token algorithm", reason(verifier, bearer(handSigned("{\"alg\":\"hs256\"}",
                claims(""), SECRET))));
        assertEquals("unexpected token algorithm", reason(verifier, bearer(handSigned("{\"alg\":\"ES256\"}",
                claims(""), SECRET))));
        // an encrypted token's header, even one claiming HS256, is not a signed token
        assertEquals("token must be signed", reason(verifier, bearer(handSigned(
                "{\"alg\":\"HS256\",\"enc\":\"A128GCM\"}", claims(""), SECRET))));
        assertEquals("token must be signed", reason(verifier, bearer("a.b.c.d.e")));
    }

    @Test
    void theTokenIsThreeUnpaddedBase64urlPartsOfOneJsonObjectEach() throws Exception {
        String good = handSigned(HS256, claims(""), SECRET);
        assertEquals("acme", verifier.tenantOf(bearer(good)));
        String[] parts = good.split("\\.");
        assertEquals("malformed token", reason(verifier, bearer(parts[0] + "." + parts[1])));
        assertEquals("malformed token", reason(verifier, bearer(good + ".")));
        assertEquals("malformed token", reason(verifier, bearer(good + "=")));
        assertEquals("malformed token", reason(verifier, bearer(parts[0] + "." + parts[1] + ".")));
        assertEquals("malformed token", reason(verifier, bearer(parts[0] + "." + parts[1] + ".not+base64/url")));
        // every part is read strictly before anything is verified, the payload too
        assertEquals("malformed token", reason(verifier, bearer(parts[0] + "." + parts[1] + "\u00e9." + parts[2])));
        assertEquals("malformed token", reason(verifier, bearer(parts[0] + "." + parts[1] + "?." + parts[2])));
        String standardAlphabet = Base64.getEncoder().encodeToString("{\"alg\":\"HS256\",\"kid\":\"??>\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("malformed token", reason(verifier, bearer(standardAlphabet + "." + parts[1] + "." + parts[2])));
        assertEquals("malformed token", reason(verifier, bearer(b64("[\"HS256\"]") + "." + parts[1] + "." + parts[2])));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256 + " {}", claims(""), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256, "[1]", SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256, claims("") + "x", SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256,
                "{\"sub\":\"acme\",\"sub\":\"victim\"}", SECRET))));
    }

    @Test
    void typAndCritMustBeWhatTheRfcSays() throws Exception {
        assertEquals("malformed token", reason(verifier, bearer(handSigned("{\"alg\":\"HS256\",\"typ\":1}",
                claims(""), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned("{\"alg\":\"HS256\",\"crit\":\"exp-ext\"}",
                claims(""), SECRET))));
        assertEquals("acme", verifier.tenantOf(bearer(handSigned("{\"alg\":\"HS256\",\"crit\":[]}", claims(""), SECRET))));
        // a portal link's typ is exact, and a platform verifier does not take it in another case either
        assertEquals("unexpected token type", reason(verifier, bearer(handSigned(
                "{\"alg\":\"HS256\",\"typ\":\"ASTRA-PORTAL+JWT\"}", claims(""), SECRET))));
    }

    @Test
    void timesAreNumbersOfSecondsAndAreChecked() throws Exception {
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256,
                "{\"sub\":\"acme\",\"exp\":\"" + EXP + "\"}", SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256, claims("\"nbf\":\"0\""), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256, claims("\"iat\":true"), SECRET))));
        // a fraction is dropped: exp 30.9 s before now is past the 30 s of skew
        assertEquals("token expired", reason(verifier, bearer(handSigned(HS256,
                "{\"sub\":\"acme\",\"exp\":" + (NOW.getEpochSecond() - 30) + ".9}", SECRET))));
        assertEquals("acme", verifier.tenantOf(bearer(handSigned(HS256,
                "{\"sub\":\"acme\",\"exp\":" + (NOW.getEpochSecond() - 29) + ".5}", SECRET))));
        // an nbf too large for a long does not wrap round into the past
        assertEquals("token not yet valid", reason(verifier, bearer(handSigned(HS256,
                claims("\"nbf\":18446744073709551617"), SECRET))));
        assertEquals("token not yet valid", reason(verifier, bearer(handSigned(HS256, claims("\"nbf\":1e300"), SECRET))));
        assertEquals("token expired", reason(verifier, bearer(handSigned(HS256,
                "{\"sub\":\"acme\",\"exp\":-18446744073709551617}", SECRET))));
        assertEquals("acme", verifier.tenantOf(bearer(handSigned(HS256, "{\"sub\":\"acme\",\"exp\":1e300}", SECRET))));
    }

    @Test
    void issuerAndAudienceHaveTheirTypesAndAreMatchedExactly() throws Exception {
        String iss = "\"iss\":\"https://id.example\"";
        assertEquals("acme", strict.tenantOf(bearer(handSigned(HS256, claims(iss + ",\"aud\":\"astra-webhooks\""), SECRET))));
        assertEquals("acme", strict.tenantOf(bearer(handSigned(HS256,
                claims(iss + ",\"aud\":[\"other\",\"astra-webhooks\"]"), SECRET))));
        assertEquals("wrong token audience", reason(strict, bearer(handSigned(HS256, claims(iss + ",\"aud\":[]"), SECRET))));
        assertEquals("wrong token audience", reason(strict, bearer(handSigned(HS256,
                claims(iss + ",\"aud\":\"Astra-Webhooks\""), SECRET))));
        assertEquals("wrong token issuer", reason(strict, bearer(handSigned(HS256,
                claims("\"iss\":\"https://id.example/\",\"aud\":\"astra-webhooks\""), SECRET))));
        // wrong types are malformed, also where nothing is configured to check them
        assertEquals("malformed token", reason(strict, bearer(handSigned(HS256,
                claims(iss + ",\"aud\":[\"astra-webhooks\",7]"), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256, claims("\"aud\":{\"a\":1}"), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256, claims("\"iss\":[\"x\"]"), SECRET))));
        assertEquals("malformed token", reason(verifier, bearer(handSigned(HS256, "{\"sub\":42}", SECRET))));
    }

    @Test
    void claimsAreReadOnlyUnderAValidSignature() throws Exception {
        // a payload that is not even JSON, unsigned by us: the signature is what fails
        String header = b64(HS256);
        String forged = header + "." + b64("not json") + "." + b64("sig");
        assertEquals("invalid signature", reason(verifier, bearer(forged)));
    }
}
