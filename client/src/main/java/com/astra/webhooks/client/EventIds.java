package com.astra.webhooks.client;

import java.security.SecureRandom;

/**
 * {@code evt_} and a lower-case ULID (48 bits of milliseconds, 80 random bits, Crockford
 * base32): the same shape the service gives ids it makes itself, sortable by creation time.
 * Written here rather than pulled in so that the client needs nothing but the SDK's sqs module.
 */
final class EventIds {
    private EventIds() {}

    private static final char[] CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    static String newId() {
        return newId(System.currentTimeMillis());
    }

    static String newId(long millis) {
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long hi = 0; // first 40 random bits
        long lo = 0; // last 40 random bits
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
            lo = (lo << 8) | (random[i + 5] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return "evt_" + new String(out);
    }
}
