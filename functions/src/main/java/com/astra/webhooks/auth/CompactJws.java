package com.astra.webhooks.auth;

import com.astra.webhooks.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A bearer token read as a JWS in compact serialization (RFC 7515 section 7.1): its protected
 * header, its signing input and signature bytes, and its claims, read with the JSON library the
 * functions already use. Nimbus reads JSON through its shaded Gson, which costs a function's
 * first request about 200 classes and 30 ms of CPU (docs/cold-start.md); HS256 tokens, the
 * common case, never reach nimbus now, and RS256/ES256 ones still go to it for their keys and
 * signatures.
 *
 * <p>Only what is checked is read, and strictly: exactly three parts, each base64url without padding,
 * each JSON text exactly one object without duplicate members ({@link Json}), {@code alg} a
 * string, {@code typ} a string when present, {@code crit} a list when present. A JWE (five
 * parts, or {@code enc} in the header) and {@code alg: none} are refused as unsigned. Every
 * failure is an {@link UnauthorizedException} that never quotes the token.
 */
final class CompactJws {

    private final String token;
    private final Map<String, Object> header;
    private final byte[] payload;
    private final byte[] signingInput;
    private final byte[] signature;

    private CompactJws(String token, Map<String, Object> header, byte[] payload, byte[] signingInput,
            byte[] signature) {
        this.token = token;
        this.header = header;
        this.payload = payload;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    static CompactJws parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) {
            throw new UnauthorizedException("token must be signed");
        }
        if (parts.length != 3) {
            throw malformed();
        }
        Map<String, Object> header = jsonObject(parts[0]);
        if (!(header.get("alg") instanceof String alg)) {
            throw malformed();
        }
        if (alg.equals("none") || header.containsKey("enc")) {
            throw new UnauthorizedException("token must be signed");
        }
        if (header.containsKey("typ") && !(header.get("typ") instanceof String)) {
            throw malformed();
        }
        if (header.containsKey("crit") && !(header.get("crit") instanceof List)) {
            throw malformed();
        }
        byte[] payload = decode(parts[1]);
        byte[] signature = decode(parts[2]);
        if (signature.length == 0) {
            throw malformed();
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        return new CompactJws(token, header, payload, signingInput, signature);
    }

    /** The token as it came, for nimbus on the JWKS path. */
    String token() {
        return token;
    }

    String algorithm() {
        return (String) header.get("alg");
    }

    /** The {@code typ} header, or null. */
    String type() {
        return (String) header.get("typ");
    }

    boolean hasCriticalParams() {
        return header.get("crit") instanceof List<?> crit && !crit.isEmpty();
    }

    byte[] signingInput() {
        return signingInput.clone();
    }

    byte[] signature() {
        return signature.clone();
    }

    /** The claims; read only once the signature is checked, so an unsigned payload is never parsed. */
    JwtClaims claims() {
        return JwtClaims.of(jsonObject(payload));
    }

    private static Map<String, Object> jsonObject(String part) {
        return jsonObject(decode(part));
    }

    private static Map<String, Object> jsonObject(byte[] utf8) {
        try {
            return Json.parseObject(new String(utf8, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw malformed();
        }
    }

    private static byte[] decode(String part) {
        if (part.indexOf('=') >= 0) {
            throw malformed();
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    static UnauthorizedException malformed() {
        return new UnauthorizedException("malformed token");
    }
}
