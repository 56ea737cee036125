package com.astra.webhooks.core.urlguard;

import com.astra.webhooks.core.RequestLimits;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The SSRF guard: decides whether a webhook may target a URL. It runs twice, because DNS can
 * change between the two: when a webhook is created or updated ({@link #validate}, a 400 with a
 * human sentence) and right before every delivery ({@link #checkAtSendTime}).
 *
 * <p>With {@code allowPrivateTargets} false (on AWS), anything that is or resolves to a
 * non-public address is refused; see {@link BlockedAddresses} for the list. Host spellings are
 * read the way browsers and curl read them ({@link TargetHost}), so {@code 0x7f.1},
 * {@code [::ffff:127.0.0.1]} or {@code ⓛocalhost} are judged as the loopback they are. Spellings
 * that Java's HTTP client would read differently from everyone else are refused even when
 * private targets are allowed, because we could not deliver to them reliably.
 *
 * <p>Residual risk, accepted: between the send-time check and the connection the HTTP client
 * resolves the name again (it takes no resolver or address, and an IP in the URL would break
 * TLS host-name checks). That lookup is served from the JVM's positive cache the check has just
 * filled, so it connects to the checked address (CheckedAddressTest); only a cache entry expiring
 * in between would let a rebinding answer through.
 *
 * <p>Immutable and thread-safe.
 */
public final class TargetGuard {

    /** The send-time verdict recorded on the dispatch, as the design specifies. */
    public static final String BLOCKED = "blocked: private address";

    private final boolean allowPrivateTargets;
    private final boolean requireHttps;
    private final HostResolver resolver;

    public TargetGuard(boolean allowPrivateTargets, boolean requireHttps) {
        this(allowPrivateTargets, requireHttps, HostResolver.SYSTEM);
    }

    public TargetGuard(boolean allowPrivateTargets, boolean requireHttps, HostResolver resolver) {
        this.allowPrivateTargets = allowPrivateTargets;
        this.requireHttps = requireHttps;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Checks a URL given to create or update a webhook.
     *
     * @return a sentence saying what is wrong (for a 400), or empty when the URL is acceptable
     */
    public Optional<String> validate(String url) {
        if (url == null || url.isBlank()) {
            return problem("url is required");
        }
        if (url.length() > RequestLimits.URL_CHARS) {
            return problem("url must be at most " + RequestLimits.URL_CHARS + " characters");
        }
        if (url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return problem("url must not contain spaces or control characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return problem("url is not a valid URL: " + e.getReason().toLowerCase(Locale.ROOT)
                    + " at character " + (e.getIndex() + 1));
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            return problem("url must be an absolute http or https URL, such as https://example.com/webhooks");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return problem("url must use http or https, not " + uri.getScheme());
        }
        if (requireHttps && !scheme.equals("https")) {
            return problem("url must use https");
        }
        if (uri.getRawFragment() != null) {
            // A fragment is never sent to the server, so one here is a copy-paste mistake.
            return problem("url must not contain a fragment (the part after #)");
        }
        Authority authority;
        TargetHost host;
        try {
            authority = Authority.parse(uri.getRawAuthority());
            host = TargetHost.parse(authority.host());
        } catch (TargetHost.InvalidHostException e) {
            return problem(e.getMessage());
        }
        if (authority.hasUserInfo()) {
            return problem("url must not contain a user name or password");
        }
        if (!allowPrivateTargets) {
            if (host.isLiteral() && BlockedAddresses.isBlocked(host.literal())) {
                return problem(privateMessage(host.literal()));
            }
            if (host.isLocalName()) {
                return problem("url must not point to a private, loopback, link-local or otherwise internal"
                        + " address (" + host.name() + ")");
            }
        }
        if (host.spellingProblem() != null) {
            return problem(host.spellingProblem());
        }
        if (uri.getHost() == null) {
            // Our reading found no fault but java.net.URI did not see a server host: we could not send.
            return problem("url host '" + authority.host() + "' is not a valid host name");
        }
        if (!allowPrivateTargets && !host.isLiteral()) {
            InetAddress[] addresses;
            try {
                addresses = resolver.resolve(host.name());
            } catch (UnknownHostException | SecurityException e) {
                // Deliberately allowed: the receiver's DNS may be set up after the webhook. The
                // send-time check resolves again and refuses the delivery if it points inward.
                return Optional.empty();
            }
            for (InetAddress address : addresses) {
                if (BlockedAddresses.isBlocked(address)) {
                    return problem("url host '" + host.name() + "' resolves to a private, loopback, link-local or"
                            + " otherwise internal address (" + address.getHostAddress() + "), which is not allowed");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a stored target right before a delivery. Resolves the host now (DNS may have changed
     * since the webhook was saved), even when private targets are allowed, so an unresolvable
     * name is reported the same way everywhere.
     *
     * @return empty when the delivery may go ahead; otherwise the error to record on the dispatch:
     *     {@value #BLOCKED}, {@code dns lookup failed: <host>}, or {@code invalid url: …}
     */
    public Optional<String> checkAtSendTime(URI url) {
        if (url == null || url.getRawAuthority() == null) {
            return problem("invalid url: no host");
        }
        TargetHost host;
        try {
            host = TargetHost.parse(Authority.parse(url.getRawAuthority()).host());
        } catch (TargetHost.InvalidHostException e) {
            return problem("invalid url: " + e.getMessage());
        }
        if (!allowPrivateTargets
                && (host.isLocalName() || host.isLiteral() && BlockedAddresses.isBlocked(host.literal()))) {
            return problem(BLOCKED);
        }
        String lookupName = url.getHost() != null ? url.getHost() : host.name();
        InetAddress[] addresses;
        try {
            // Java's own reading of the host, which is what the HTTP client will connect to; for
            // literals this is parsing, not DNS.
            addresses = resolver.resolve(lookupName);
        } catch (UnknownHostException | SecurityException e) {
            return problem("dns lookup failed: " + host.name());
        }
        if (!allowPrivateTargets) {
            for (InetAddress address : addresses) {
                if (BlockedAddresses.isBlocked(address)) {
                    return problem(BLOCKED);
                }
            }
        }
        return Optional.empty();
    }

    private static String privateMessage(InetAddress address) {
        return "url must not point to a private, loopback, link-local or otherwise internal address ("
                + address.getHostAddress() + ")";
    }

    private static Optional<String> problem(String sentence) {
        return Optional.of(sentence);
    }
}
