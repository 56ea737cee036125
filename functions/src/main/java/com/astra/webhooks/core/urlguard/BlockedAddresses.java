package com.astra.webhooks.core.urlguard;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses a webhook may not target when private targets are disallowed: everything that
 * is not ordinary public unicast. That is loopback, private, link-local (the cloud metadata
 * service at 169.254.169.254 lives there), CGNAT, multicast, unspecified, broadcast, "this
 * network", the documentation/benchmark/reserved ranges, and the same addresses smuggled inside
 * IPv6 (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64, 6to4).
 *
 * <p>IPv6 is judged by allow-list: only global unicast (2000::/3) passes, minus the special
 * blocks inside it. Teredo (2001::/32) is refused outright rather than decoded: its endpoint is
 * obfuscated and no legitimate receiver needs it.
 */
final class BlockedAddresses {
    private BlockedAddresses() {}

    private record Cidr(byte[] prefix, int bits) {
        static Cidr of(int[] prefix, int bits) {
            byte[] b = new byte[prefix.length];
            for (int i = 0; i < prefix.length; i++) {
                b[i] = (byte) prefix[i];
            }
            return new Cidr(b, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static Cidr v4(int a, int b, int c, int d, int bits) {
        return Cidr.of(new int[] {a, b, c, d}, bits);
    }

    private static Cidr v6(int bits, int... leadingBytes) {
        return Cidr.of(Arrays.copyOf(leadingBytes, 16), bits);
    }

    private static final List<Cidr> BLOCKED_V4 = List.of(
            v4(0, 0, 0, 0, 8),          // "this network", includes the unspecified 0.0.0.0
            v4(10, 0, 0, 0, 8),         // private
            v4(100, 64, 0, 0, 10),      // carrier-grade NAT
            v4(127, 0, 0, 0, 8),        // loopback
            v4(169, 254, 0, 0, 16),     // link-local, cloud metadata 169.254.169.254
            v4(172, 16, 0, 0, 12),      // private
            v4(192, 0, 0, 0, 24),       // IETF protocol assignments
            v4(192, 0, 2, 0, 24),       // TEST-NET-1
            v4(192, 88, 99, 0, 24),     // 6to4 relay anycast
            v4(192, 168, 0, 0, 16),     // private
            v4(198, 18, 0, 0, 15),      // benchmarking
            v4(198, 51, 100, 0, 24),    // TEST-NET-2
            v4(203, 0, 113, 0, 24),     // TEST-NET-3
            v4(224, 0, 0, 0, 4),        // multicast
            v4(240, 0, 0, 0, 4));       // reserved, includes broadcast 255.255.255.255

    private static final Cidr GLOBAL_UNICAST_V6 = v6(3, 0x20);
    private static final List<Cidr> BLOCKED_INSIDE_GLOBAL_V6 = List.of(
            v6(23, 0x20, 0x01),                 // IETF protocol assignments, Teredo, ORCHID, …
            v6(32, 0x20, 0x01, 0x0d, 0xb8),     // documentation
            v6(20, 0x3f, 0xff));                // documentation (RFC 9637)
    private static final Cidr SIX_TO_FOUR = v6(16, 0x20, 0x02);
    private static final Cidr NAT64 = v6(96, 0x00, 0x64, 0xff, 0x9b);
    private static final Cidr NAT64_LOCAL = v6(48, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01);
    private static final Cidr IPV4_MAPPED = v6(96, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);
    private static final Cidr IPV4_COMPATIBLE = v6(96);   // ::a.b.c.d, also :: and ::1
    private static final Cidr IPV4_TRANSLATED = v6(96, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0);

    static boolean isBlocked(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isBlockedV4(b);
        }
        if (address instanceof Inet6Address) {
            return isBlockedV6(b);
        }
        return true; // an address family we do not understand is not one we send to
    }

    private static boolean isBlockedV4(byte[] b) {
        for (Cidr cidr : BLOCKED_V4) {
            if (cidr.contains(b)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlockedV6(byte[] b) {
        if (IPV4_MAPPED.contains(b) || IPV4_COMPATIBLE.contains(b) || IPV4_TRANSLATED.contains(b)
                || NAT64.contains(b)) {
            return isBlockedV4(Arrays.copyOfRange(b, 12, 16));
        }
        if (NAT64_LOCAL.contains(b)) {
            return true;
        }
        if (SIX_TO_FOUR.contains(b)) {
            return isBlockedV4(Arrays.copyOfRange(b, 2, 6));
        }
        if (!GLOBAL_UNICAST_V6.contains(b)) {
            return true; // ULA fc00::/7, link-local fe80::/10, multicast ff00::/8, site-local, reserved
        }
        for (Cidr cidr : BLOCKED_INSIDE_GLOBAL_V6) {
            if (cidr.contains(b)) {
                return true;
            }
        }
        return false;
    }
}
