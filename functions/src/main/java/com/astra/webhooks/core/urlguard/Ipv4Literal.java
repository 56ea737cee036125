package com.astra.webhooks.core.urlguard;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads IPv4 host spellings the way inet_aton(3), curl and browsers (the WHATWG URL standard)
 * do, so the guard judges the address a client would really connect to: {@code 127.1},
 * {@code 0x7f.0.0.1}, {@code 0177.0.0.1} (octal), {@code 2130706433} and {@code 0x7f000001}
 * all mean 127.0.0.1.
 *
 * <p>Note that Java's own {@link InetAddress} disagrees on some of these (it reads
 * {@code 0177.0.0.1} as 177.0.0.1), which is why the guard refuses every non-canonical
 * spelling outright and only ever delivers to plain dotted-decimal addresses.
 */
final class Ipv4Literal {
    private Ipv4Literal() {}

    private static final BigInteger TWO_POW_32 = BigInteger.ONE.shiftLeft(32);

    /**
     * True when the last label is a number (decimal, or 0x-hex): the WHATWG rule for "this host
     * must be an IPv4 address", so {@code 1.2.3.4.5} or {@code example.0x1} are invalid rather
     * than names to look up.
     */
    static boolean endsInNumber(String host) {
        List<String> labels = labels(host);
        if (labels.isEmpty()) {
            return false;
        }
        String last = labels.get(labels.size() - 1);
        if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (last.startsWith("0x") || last.startsWith("0X"))
                && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** The address an inet_aton-style reader makes of {@code host}, or empty if it is not an IPv4 spelling. */
    static Optional<Inet4Address> parse(String host) {
        List<String> parts = labels(host);
        if (parts.isEmpty() || parts.size() > 4) {
            return Optional.empty();
        }
        List<BigInteger> numbers = new ArrayList<>();
        for (String part : parts) {
            BigInteger n = number(part);
            if (n == null) {
                return Optional.empty();
            }
            numbers.add(n);
        }
        // All but the last part are single bytes; the last fills the remaining bytes (a.b.c.d, a.b.c16, a.b24, a32).
        long value = 0;
        for (int i = 0; i < numbers.size() - 1; i++) {
            if (numbers.get(i).compareTo(BigInteger.valueOf(255)) > 0) {
                return Optional.empty();
            }
            value |= numbers.get(i).longValue() << (24 - 8 * i);
        }
        BigInteger last = numbers.get(numbers.size() - 1);
        BigInteger lastLimit = BigInteger.ONE.shiftLeft(8 * (5 - numbers.size()));
        if (last.compareTo(lastLimit) >= 0 || last.compareTo(TWO_POW_32) >= 0) {
            return Optional.empty();
        }
        value |= last.longValue();
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always a valid IPv4 address", e);
        }
    }

    /** Dot-separated labels, ignoring one trailing dot ("127.0.0.1." is 127.0.0.1). */
    private static List<String> labels(String host) {
        List<String> labels = new ArrayList<>(List.of(host.split("\\.", -1)));
        if (labels.size() > 1 && labels.get(labels.size() - 1).isEmpty()) {
            labels.remove(labels.size() - 1);
        }
        return labels;
    }

    /** One part: 0x-prefixed hex (0x alone is 0), 0-prefixed octal, else decimal; null if none of those. */
    private static BigInteger number(String part) {
        if (part.isEmpty() || part.length() > 64) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x") || part.startsWith("0X")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return BigInteger.ZERO;
            }
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            radix = 8;
            digits = part.substring(1);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'z') {
                return null;
            }
        }
        return new BigInteger(digits, radix);
    }
}
