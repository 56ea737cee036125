package com.astra.webhooks.auth;

import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.model.Tenants;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Portal link tokens (DESIGN.md "Portal links and the console"): short-lived HS256 JWTs the
 * service mints for a caller's own tenant, narrower or equal, never wider.
 *
 * <p>They are signed with a key derived from a source secret (HMAC-SHA256 of {@link #KEY_LABEL}
 * under it): {@code JWT_SECRET} in HS256 deployments, a random key the service keeps for itself
 * in JWKS-only ones (it cannot sign with the platform's private key). Derived, not the secret
 * itself, so a link token handed to a customer's browser never verifies as a platform token,
 * here or at any other service of the platform that shares {@code JWT_SECRET} and ignores
 * {@code typ}. Their {@code typ} is {@link #TYPE}: {@link TokenVerifier} sends such tokens here and
 * no others, and refuses that type on the platform path.
 */
public final class PortalLinks {

    public static final String TYPE = "astra-portal+jwt";
    static final String KEY_LABEL = "astra-webhooks portal link key v1";
    static final String SCOPE_CLAIM = "scope";
    static final String WEBHOOKS_CLAIM = "webhookIds";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<String> sourceSecret;
    private final Clock clock;
    private volatile Keyed keyed;

    private record Keyed(String source, Hs256 key) {}

    /** A minted link: the token and when it stops working. */
    public record Link(String token, Instant expiresAt) {}

    /** The caller asked for more than it holds: a scope or webhooks it does not have. */
    public static final class WideningException extends RuntimeException {
        WideningException(String message) {
            super(message);
        }
    }

    /** @param sourceSecret read per use, so a rotated secret is in use as soon as its source says so */
    public PortalLinks(Supplier<String> sourceSecret, Clock clock) {
        this.sourceSecret = sourceSecret;
        this.clock = clock;
    }

    /**
     * A token for {@code caller}'s tenant with {@code scope} and, when {@code webhookIds} is not
     * null, only those webhooks; it ends after {@code ttl} or when the caller's own token does,
     * whichever is first.
     *
     * @throws WideningException if the link would be wider than the caller
     */
    public Link mint(Caller caller, Caller.Scope scope, Duration ttl, Set<String> webhookIds) {
        if (scope == Caller.Scope.MANAGE && !caller.mayWrite()) {
            throw new WideningException("a read-only token cannot create a manage link");
        }
        if (caller.restricted() && (webhookIds == null || !caller.webhookIds().containsAll(webhookIds))) {
            throw new WideningException("this token may only create links for its own webhooks: "
                    + String.join(", ", new TreeSet<>(caller.webhookIds())));
        }
        // JWT times are whole seconds.
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expires = now.plus(ttl);
        if (caller.expiresAt() != null && caller.expiresAt().isBefore(expires)) {
            expires = Instant.ofEpochSecond(caller.expiresAt().getEpochSecond());
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(caller.tenant())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
                .claim(SCOPE_CLAIM, scope.wire());
        if (webhookIds != null) {
            claims.claim(WEBHOOKS_CLAIM, List.copyOf(new TreeSet<>(webhookIds)));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(TYPE)).build(),
                claims.build());
        try {
            jwt.sign(key());
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return new Link(jwt.serialize(), expires);
    }

    static boolean isLinkToken(CompactJws jws) {
        return TYPE.equals(jws.type());
    }

    /** The caller a link token stands for; every check a platform token gets, and stricter ones. */
    Caller verify(CompactJws jws, Duration clockSkew) {
        if (!"HS256".equals(jws.algorithm())) {
            throw new UnauthorizedException("unexpected token algorithm");
        }
        if (jws.hasCriticalParams()) {
            throw new UnauthorizedException("unsupported critical header");
        }
        if (!key().verify(jws.signingInput(), jws.signature())) {
            throw new UnauthorizedException("invalid signature");
        }
        JwtClaims claims = jws.claims();
        Instant exp = claims.expiresAt();
        Instant iat = claims.issuedAt();
        Instant now = clock.instant();
        // Both are ours, always set: a link without them, or longer than a link may be, is not one we made.
        if (exp == null || iat == null || exp.isAfter(iat.plus(RequestLimits.PORTAL_LINK_TTL_MAX))) {
            throw new UnauthorizedException("malformed token");
        }
        if (!exp.plus(clockSkew).isAfter(now)) {
            throw new UnauthorizedException("token expired");
        }
        String tenant = claims.subject();
        if (!Tenants.isValid(tenant)) {
            throw new UnauthorizedException("invalid tenant claim");
        }
        Caller.Scope scope = claims.claim(SCOPE_CLAIM) instanceof String s ? Caller.Scope.of(s) : null;
        if (scope == null) {
            throw new UnauthorizedException("malformed token");
        }
        return new Caller(tenant, scope, webhookIds(claims.claim(WEBHOOKS_CLAIM)), exp);
    }

    private static Set<String> webhookIds(Object claim) {
        if (claim == null) {
            return null;
        }
        if (!(claim instanceof List<?> list) || list.size() > RequestLimits.PORTAL_LINK_WEBHOOKS) {
            throw new UnauthorizedException("malformed token");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new UnauthorizedException("malformed token");
            }
            ids.add(s);
        }
        return ids;
    }

    /** The derived key for the current source secret; a source that cannot be read refuses the request. */
    private Hs256 key() {
        String source;
        try {
            source = sourceSecret.get();
        } catch (RuntimeException e) {
            throw new KeySourceUnavailableException();
        }
        if (source == null || source.isEmpty()) {
            throw new KeySourceUnavailableException();
        }
        Keyed current = keyed;
        if (current == null || !current.source().equals(source)) {
            byte[] derived = new Hs256(source).mac(KEY_LABEL.getBytes(StandardCharsets.UTF_8));
            current = new Keyed(source, new Hs256(derived));
            keyed = current;
        }
        return current.key();
    }
}
