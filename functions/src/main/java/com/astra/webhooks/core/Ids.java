package com.astra.webhooks.core;

import com.github.f4b6a3.ulid.UlidCreator;
import com.github.f4b6a3.ulid.Ulid;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Identifiers are a prefix and a monotonic ULID: unique without coordination and ordered by
 * creation time, so DynamoDB sort keys built from them list newest first for free.
 */
public final class Ids {
    private Ids() {}

    public static final String WEBHOOK = "wh_";
    public static final String DISPATCH = "dispatch_";
    public static final String EVENT = "evt_";

    public static String newId(String prefix) {
        return prefix + UlidCreator.getMonotonicUlid().toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The id of one attempt, known before it is made: a ULID of {@code at} whose random part is
     * a hash of {@code parts} (tenant, event, webhook, attempt). Any worker that holds a copy of
     * the same attempt computes the same id, so the attempt's record doubles as its claim: a
     * conditional write of it succeeds once, and a read by id tells whether it was made.
     */
    public static String dispatchId(Instant at, String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return dispatchIdOf(at, Arrays.copyOf(sha.digest(), 10));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The smallest dispatch id of the millisecond {@code at}: ids sort by time, so a time range is an id range. */
    public static String firstDispatchIdAt(Instant at) {
        return dispatchIdOf(at, new byte[10]);
    }

    /** The largest dispatch id of the millisecond {@code at}. */
    public static String lastDispatchIdAt(Instant at) {
        byte[] max = new byte[10];
        Arrays.fill(max, (byte) 0xff);
        return dispatchIdOf(at, max);
    }

    private static String dispatchIdOf(Instant at, byte[] random) {
        return DISPATCH + new Ulid(at.toEpochMilli(), random).toString().toLowerCase(Locale.ROOT);
    }
}
