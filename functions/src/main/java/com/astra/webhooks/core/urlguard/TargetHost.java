package com.astra.webhooks.core.urlguard;

import com.astra.webhooks.core.Utf8;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The host of a target URL, read the way a browser or curl would read it: percent-decoded,
 * internationalised names mapped to ASCII (which also folds full-width digits and dots),
 * lower-cased, one trailing dot dropped, and numeric spellings read inet_aton-style.
 *
 * @param raw             the host exactly as written in the URL (brackets kept for IPv6)
 * @param name            the normalised ASCII name, or the address text for IP literals
 * @param literal         the address when the host is an IP literal in any spelling, else null
 * @param spellingProblem why Java's HTTP client would not (or not reliably) reach the same host,
 *                        or null when everyone reads the host the same way
 */
record TargetHost(String raw, String name, InetAddress literal, String spellingProblem) {

    /** Thrown with a human sentence when a host cannot be read at all. */
    static final class InvalidHostException extends Exception {
        InvalidHostException(String message) {
            super(message, null, false, false);
        }
    }

    boolean isLiteral() {
        return literal != null;
    }

    /** {@code localhost} and its kin always mean this machine (RFC 6761), whatever DNS says. */
    boolean isLocalName() {
        return !isLiteral() && (name.equals("localhost") || name.endsWith(".localhost")
                || name.equals("localhost.localdomain") || name.equals("ip6-localhost")
                || name.equals("ip6-loopback"));
    }

    static TargetHost parse(String raw) throws InvalidHostException {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidHostException("url must include a host");
        }
        if (raw.startsWith("[")) {
            return parseIpv6(raw);
        }
        String problem = null;
        String host = raw;
        if (host.indexOf('%') >= 0) {
            host = percentDecode(host, raw);
            problem = "url host must not be percent-encoded; write it as " + host;
        }
        if (!isAscii(host)) {
            try {
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new InvalidHostException("url host '" + raw + "' is not a valid international domain name");
            }
            if (problem == null) {
                problem = "url host must be written in ASCII; use its punycode form " + host.toLowerCase(Locale.ROOT);
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_')) {
                throw new InvalidHostException("url host '" + raw + "' contains a character not allowed in a host name");
            }
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.startsWith(".") || name.contains("..")) {
            throw new InvalidHostException("url host '" + raw + "' is not a valid host name");
        }
        if (Ipv4Literal.endsInNumber(host)) {
            InetAddress address = Ipv4Literal.parse(host).orElseThrow(
                    () -> new InvalidHostException("url host '" + raw + "' is not a valid IPv4 address"));
            String canonical = address.getHostAddress();
            if (problem == null && !raw.equals(canonical)) {
                // Readers disagree on these (Java reads 0177.0.0.1 as 177.0.0.1, curl as 127.0.0.1),
                // so only the spelling everyone agrees on is accepted.
                problem = "url host '" + raw + "' is an unusual spelling of the IP address " + canonical
                        + "; write it as " + canonical;
            }
            return new TargetHost(raw, canonical, address, problem);
        }
        if (name.length() > 253) {
            throw new InvalidHostException("url host name is longer than 253 characters");
        }
        for (String label : name.split("\\.")) {
            if (label.length() > 63) {
                throw new InvalidHostException("url host '" + raw + "' has a label longer than 63 characters");
            }
            if (problem == null && (label.startsWith("-") || label.endsWith("-") || label.contains("_"))) {
                // DNS can hold such names, but java.net.URI refuses them as hosts, so they cannot be delivered.
                problem = "url host '" + raw + "' is not a valid host name (labels are letters, digits and"
                        + " inner hyphens)";
            }
        }
        return new TargetHost(raw, name, null, problem);
    }

    private static TargetHost parseIpv6(String raw) throws InvalidHostException {
        if (!raw.endsWith("]") || raw.length() < 4) {
            throw new InvalidHostException("url host '" + raw + "' is not a valid IPv6 address");
        }
        String inner = raw.substring(1, raw.length() - 1);
        int zone = inner.indexOf('%');
        // The zone (%25eth0) only picks an interface; it does not change which address is judged.
        String address = zone >= 0 ? inner.substring(0, zone) : inner;
        if (address.indexOf(':') < 0 || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128
                || c == ':' || c == '.')) {
            throw new InvalidHostException("url host '" + raw + "' is not a valid IPv6 address");
        }
        InetAddress parsed;
        try {
            // A bracketed literal is parsed, never looked up in DNS.
            parsed = InetAddress.getByName("[" + address + "]");
        } catch (UnknownHostException e) {
            throw new InvalidHostException("url host '" + raw + "' is not a valid IPv6 address");
        }
        return new TargetHost(raw, parsed.getHostAddress(), parsed, null);
    }

    private static String percentDecode(String host, String raw) throws InvalidHostException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < host.length(); i += Character.charCount(host.codePointAt(i))) {
            int c = host.codePointAt(i);
            if (c == '%') {
                int hi = i + 2 < host.length() ? Character.digit(host.charAt(i + 1), 16) : -1;
                int lo = i + 2 < host.length() ? Character.digit(host.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidHostException("url host '" + raw + "' has a broken percent-escape");
                }
                bytes.write(hi * 16 + lo);
                i += 2; // plus the '%' itself, skipped by the loop step
            } else {
                byte[] encoded = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return Utf8.decode(bytes.toByteArray()).orElseThrow(
                () -> new InvalidHostException("url host '" + raw + "' is not valid UTF-8 once percent-decoded"));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }
}
