package com.astra.webhooks.auth;

import com.astra.webhooks.model.Tenants;
import com.astra.webhooks.config.SettingSpecs;
import com.astra.webhooks.config.Settings;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns an {@code Authorization: Bearer <JWT>} header into the caller's tenant, or throws
 * {@link UnauthorizedException}.
 *
 * <p>Build one per container (handler constructor): the JWKS cache lives here. After
 * construction the instance is immutable apart from nimbus's thread-safe JWKS cache, so
 * concurrent calls to {@link #tenantOf} are safe.
 *
 * <p>The accepted algorithm follows from the configured key source and nothing else:
 * HS256 only against {@code JWT_SECRET}, RS256/ES256 only against keys from {@code JWKS_URL}.
 * The token header never chooses the key type, which is what rules out algorithm confusion
 * (e.g. an HS256 token "signed" with a public RSA key).
 *
 * <p>Tokens are read by {@link CompactJws}; nimbus only selects JWKS keys and checks
 * RS256/ES256 signatures, so an HS256 deployment's first request does not load it.
 */
public final class TokenVerifier {

    static final String DEFAULT_TENANT_CLAIM = SettingSpecs.TENANT_CLAIM.fallback();
    /** Tolerated clock difference between us and the token issuer for exp/nbf. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    // Lambda has a hard time budget; a hanging JWKS endpoint must not eat it.
    static final int JWKS_CONNECT_TIMEOUT_MS = 2_000;
    static final int JWKS_READ_TIMEOUT_MS = 2_000;
    static final int JWKS_SIZE_LIMIT_BYTES = 64 * 1024;
    static final long JWKS_CACHE_TTL_MS = Duration.ofMinutes(10).toMillis();
    static final long JWKS_CACHE_REFRESH_TIMEOUT_MS = Duration.ofSeconds(5).toMillis();

    private static final String HS256 = "HS256";
    /** The names of the algorithms JWKS keys may sign with. */
    private static final Set<String> JWKS_ALGORITHMS = Set.of("RS256", "ES256");

    private final Supplier<String> hs256Secret;                       // null: HS256 not accepted
    private volatile Hs256 hs256;                                     // for the secret last seen
    private final JWSVerificationKeySelector<SecurityContext> jwksKeys; // null: RS256/ES256 not accepted
    private final JwksFetch jwksFetch;                                 // null: no remote JWKS
    private final Set<String> accepted;                                // algorithm names
    private final String issuer;                                      // null: not checked
    private final String audience;                                    // null: not checked
    private final String tenantClaim;
    private final Clock clock;
    private final PortalLinks links;                                  // null: link tokens not accepted
    private final DefaultJWSVerifierFactory verifierFactory;           // null: no JWKS

    /** Reads JWT_SECRET, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE and TENANT_CLAIM. */
    public TokenVerifier(Settings settings) {
        this(settings.jwtSecret(), settings.jwksUrl(), settings.jwtIssuer(), settings.jwtAudience(),
                settings.tenantClaim());
    }

    /**
     * Any argument may be null or blank, meaning "not configured"; at least one of
     * {@code hs256Secret} and {@code jwksUrl} must be set.
     *
     * @throws IllegalStateException if no key source is configured or the JWKS URL is invalid,
     *     so that a misconfigured function fails at cold start rather than rejecting every call
     */
    public TokenVerifier(String hs256Secret, String jwksUrl, String issuer, String audience, String tenantClaim) {
        this(fixed(hs256Secret), jwksUrl, issuer, audience, tenantClaim);
    }

    /**
     * As above, with an HS256 secret that may change between calls (a rotated secret read from
     * a secret store); {@code hs256Secret} null means HS256 is not accepted.
     */
    public TokenVerifier(Supplier<String> hs256Secret, String jwksUrl, String issuer, String audience, String tenantClaim) {
        this(hs256Secret, isBlank(jwksUrl) ? null : new JwksFetch(jwksUrlOf(jwksUrl), JWKS_CONNECT_TIMEOUT_MS,
                JWKS_READ_TIMEOUT_MS, JWKS_SIZE_LIMIT_BYTES), issuer, audience, tenantClaim);
    }

    private TokenVerifier(Supplier<String> hs256Secret, JwksFetch fetch, String issuer, String audience, String tenantClaim) {
        this(hs256Secret, fetch == null ? null : remoteJwks(fetch), fetch, issuer, audience, tenantClaim,
                Clock.systemUTC());
    }

    /** For tests: any JWK source (e.g. an in-memory set) and a fixed clock. */
    TokenVerifier(String hs256Secret, JWKSource<SecurityContext> jwks, String issuer, String audience,
            String tenantClaim, Clock clock) {
        this(fixed(hs256Secret), jwks, null, issuer, audience, tenantClaim, clock);
    }

    private TokenVerifier(Supplier<String> hs256Secret, JWKSource<SecurityContext> jwks, JwksFetch fetch, String issuer,
            String audience, String tenantClaim, Clock clock) {
        if (hs256Secret == null && jwks == null) {
            throw new IllegalStateException("no JWT key source: set " + Settings.JWT_SECRET + " or " + Settings.JWKS_URL);
        }
        this.hs256Secret = hs256Secret;
        this.jwksKeys = jwks == null ? null
                : new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), jwks);
        this.verifierFactory = jwks == null ? null : new DefaultJWSVerifierFactory();
        this.jwksFetch = fetch;
        Set<String> algs = new HashSet<>();
        if (hs256Secret != null) {
            algs.add(HS256);
        }
        if (jwksKeys != null) {
            algs.addAll(JWKS_ALGORITHMS);
        }
        this.accepted = Set.copyOf(algs);
        this.issuer = isBlank(issuer) ? null : issuer.strip();
        this.audience = isBlank(audience) ? null : audience.strip();
        this.tenantClaim = isBlank(tenantClaim) ? DEFAULT_TENANT_CLAIM : tenantClaim.strip();
        this.clock = clock;
        this.links = null;
    }

    private TokenVerifier(TokenVerifier base, PortalLinks links) {
        this.hs256Secret = base.hs256Secret;
        this.jwksKeys = base.jwksKeys;
        this.verifierFactory = base.verifierFactory;
        this.jwksFetch = base.jwksFetch;
        this.accepted = base.accepted;
        this.issuer = base.issuer;
        this.audience = base.audience;
        this.tenantClaim = base.tenantClaim;
        this.clock = base.clock;
        this.links = links;
    }

    /** What mints the link tokens this verifier accepts; empty when it accepts none. */
    public java.util.Optional<PortalLinks> portalLinks() {
        return java.util.Optional.ofNullable(links);
    }

    /** This verifier, also accepting the portal link tokens {@code links} mints. */
    public TokenVerifier withPortalLinks(PortalLinks links) {
        return new TokenVerifier(this, links);
    }

    /**
     * @param authorizationHeaderValue the raw header value, e.g. {@code "Bearer eyJ..."}; may be null
     * @return the tenant named by the configured claim, already checked to be safe for storage keys
     * @throws UnauthorizedException if the token is missing, malformed, badly signed, expired,
     *     not yet valid, for another issuer/audience, or carries no valid tenant
     * @throws KeySourceUnavailableException (an UnauthorizedException) if JWKS keys could not be fetched
     */
    public String tenantOf(String authorizationHeaderValue) {
        return callerOf(authorizationHeaderValue).tenant();
    }

    /**
     * As {@link #tenantOf}, with what the token allows: everything for a platform token, the
     * link's scope and webhooks for a portal link token.
     */
    public Caller callerOf(String authorizationHeaderValue) {
        // alg "none" and JWE (encrypted) tokens are refused here.
        CompactJws jws = CompactJws.parse(BearerToken.extract(authorizationHeaderValue));
        if (PortalLinks.isLinkToken(jws)) {
            if (links == null) {
                throw new UnauthorizedException("unexpected token type");
            }
            return links.verify(jws, CLOCK_SKEW);
        }
        checkHeader(jws);
        checkSignature(jws);
        JwtClaims claims = jws.claims();
        checkTimes(claims);
        checkIssuerAndAudience(claims);
        return Caller.platform(tenantFrom(claims), claims.expiresAt());
    }

    private void checkHeader(CompactJws jws) {
        if (!accepted.contains(jws.algorithm())) {
            throw new UnauthorizedException("unexpected token algorithm");
        }
        // We understand no critical extensions, so per RFC 7515 4.1.11 any "crit" means reject.
        if (jws.hasCriticalParams()) {
            throw new UnauthorizedException("unsupported critical header");
        }
        // typ is optional; when present it must say "this is an (access) JWT", which keeps
        // other signed JOSE objects from the same issuer (logout tokens, ...) out.
        String typ = jws.type();
        if (typ != null && !isJwtType(typ)) {
            throw new UnauthorizedException("unexpected token type");
        }
    }

    private static boolean isJwtType(String typ) {
        String t = typ.toLowerCase(Locale.ROOT);
        return t.equals("jwt") || t.equals("at+jwt") || t.equals("application/at+jwt");
    }

    private void checkSignature(CompactJws jws) {
        if (HS256.equals(jws.algorithm())) {
            if (!hs256().verify(jws.signingInput(), jws.signature())) {
                throw new UnauthorizedException("invalid signature");
            }
            return;
        }
        SignedJWT jwt = nimbusParse(jws.token());
        // The key and verifier follow nimbus's reading of the header: it must be the one checked above.
        if (!jws.algorithm().equals(jwt.getHeader().getAlgorithm().getName())) {
            throw CompactJws.malformed();
        }
        List<Key> keys = selectJwksKeys(jwt.getHeader());
        if (keys.isEmpty()) {
            throw new UnauthorizedException("unknown signing key");
        }
        for (Key key : keys) {
            if (verifiesWith(jwt, key)) {
                return;
            }
        }
        throw new UnauthorizedException("invalid signature");
    }

    private List<Key> selectJwksKeys(JWSHeader header) {
        try {
            // Matches on kid, key type for the algorithm, and use/alg when the JWK states them.
            return jwksKeys.selectJWSKeys(header, null);
        } catch (RateLimitReachedException e) {
            // An unknown kid forces a JWKS refresh; refreshes are rate limited so a flood of
            // made-up kids cannot hammer the identity provider. Within the limit it's just unknown,
            // unless the last refresh failed: then the kid may well be a key we could not fetch.
            if (jwksFetch != null && jwksFetch.lastFailed()) {
                throw new KeySourceUnavailableException();
            }
            return List.of();
        } catch (KeySourceException e) {
            throw new KeySourceUnavailableException();
        }
    }

    private boolean verifiesWith(SignedJWT jwt, Key key) {
        try {
            return jwt.verify(verifierFactory.createJWSVerifier(jwt.getHeader(), key));
        } catch (JOSEException e) {
            // The selected key cannot be used for this algorithm (e.g. an EC key on another curve): no match.
            return false;
        }
    }

    /** The same token as nimbus reads it, for its key selection and RS256/ES256 verifiers. */
    private static SignedJWT nimbusParse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw CompactJws.malformed();
        }
    }

    private void checkTimes(JwtClaims claims) {
        Instant now = clock.instant();
        Instant exp = claims.expiresAt();
        if (exp != null && !exp.plus(CLOCK_SKEW).isAfter(now)) {
            throw new UnauthorizedException("token expired");
        }
        Instant nbf = claims.notBefore();
        if (nbf != null && nbf.minus(CLOCK_SKEW).isAfter(now)) {
            throw new UnauthorizedException("token not yet valid");
        }
    }

    private void checkIssuerAndAudience(JwtClaims claims) {
        if (issuer != null && !issuer.equals(claims.issuer())) {
            throw new UnauthorizedException("wrong token issuer");
        }
        if (audience != null && !claims.audience().contains(audience)) {
            throw new UnauthorizedException("wrong token audience");
        }
    }

    private String tenantFrom(JwtClaims claims) {
        Object value = claims.claim(tenantClaim);
        if (value == null) {
            throw new UnauthorizedException("missing tenant claim");
        }
        if (!(value instanceof String) || !Tenants.isValid((String) value)) {
            throw new UnauthorizedException("invalid tenant claim");
        }
        return (String) value;
    }

    private static URL jwksUrlOf(String jwksUrl) {
        URL url;
        try {
            url = URI.create(jwksUrl.strip()).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new IllegalStateException("invalid " + Settings.JWKS_URL);
        }
        // nimbus's retriever would also read file: URLs; keys only ever come over HTTP(S).
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalStateException(Settings.JWKS_URL + " must be an http(s) URL");
        }
        return url;
    }

    private static JWKSource<SecurityContext> remoteJwks(JwksFetch fetch) {
        return JWKSourceBuilder.<SecurityContext>create(fetch.url(), fetch)
                .cache(JWKS_CACHE_TTL_MS, JWKS_CACHE_REFRESH_TIMEOUT_MS)
                // Lambda freezes the container between invocations, so a background refresh
                // thread would mostly be frozen; refresh on demand instead.
                .refreshAheadCache(false)
                .build();
    }

    private static Supplier<String> fixed(String secret) {
        if (isBlank(secret)) {
            return null;
        }
        return () -> secret;
    }

    /** The verifier for the current secret; a secret that cannot be read refuses the token. */
    private Hs256 hs256() {
        String secret;
        try {
            secret = hs256Secret.get();
        } catch (RuntimeException e) {
            throw new KeySourceUnavailableException();
        }
        Hs256 current = hs256;
        if (current == null || !current.isFor(secret)) {
            current = new Hs256(secret);
            hs256 = current;
        }
        return current;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
