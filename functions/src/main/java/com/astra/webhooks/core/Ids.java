package com.astra.webhooks.core;

import com.github.f4b6a3.ulid.UlidCreator;
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
}
