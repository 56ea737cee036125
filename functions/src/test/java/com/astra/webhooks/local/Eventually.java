package com.astra.webhooks.local;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls a condition until it holds or the deadline passes: synchronisation without fixed sleeps. */
public final class Eventually {

    private Eventually() {}

    public static void await(Duration timeout, String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!Boolean.TRUE.equals(condition.get())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
