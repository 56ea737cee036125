package com.astra.webhooks.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one way a time is written for a reader: UTC with exactly three fraction digits
 * ({@code 2026-01-02T03:04:12.000Z}). {@link Instant#toString()} drops a zero fraction and keeps
 * microseconds when there are some, so two of its strings can sort against time order; these
 * always sort as the times do.
 */
public final class Timestamps {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** The time to the millisecond (finer digits are dropped); null stays null. */
    public static String format(Instant at) {
        return at == null ? null : MILLIS.format(at);
    }
}
