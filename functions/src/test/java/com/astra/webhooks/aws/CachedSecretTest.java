package com.astra.webhooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachedSecretTest {

    private final AtomicReference<String> stored = new AtomicReference<>("first-secret");
    private final AtomicInteger fetches = new AtomicInteger();
    private final MutableClock clock = new MutableClock();
    private final CachedSecret secret = new CachedSecret(() -> {
        fetches.incrementAndGet();
        String s = stored.get();
        if (s == null) {
            throw new IllegalStateException("Secrets Manager unreachable");
        }
        return s;
    }, clock);

    @Test
    void fetchesOnceWithinTheTtl() {
        assertEquals("first-secret", secret.get());
        clock.now = clock.now.plus(CachedSecret.TTL).minusSeconds(1);
        assertEquals("first-secret", secret.get());
        assertEquals(1, fetches.get());
    }

    @Test
    void aRotationIsInUseOnceTheTtlHasPassed() {
        assertEquals("first-secret", secret.get());
        stored.set("rotated-secret");
        clock.now = clock.now.plus(CachedSecret.TTL);
        assertEquals("rotated-secret", secret.get());
    }

    @Test
    void theSnapshotHoldsNoSecretAndARestoredSandboxFetchesAgain() {
        assertEquals("first-secret", secret.get());
        secret.beforeCheckpoint(null);
        stored.set("rotated-while-snapshotted");
        assertEquals("rotated-while-snapshotted", secret.get());
        assertEquals(2, fetches.get());
    }

    @Test
    void aFailedFetchFailsClosedAndIsRetriedNextTime() {
        assertEquals("first-secret", secret.get());
        stored.set(null);
        clock.now = clock.now.plus(CachedSecret.TTL);
        assertThrows(IllegalStateException.class, secret::get);
        stored.set("back");
        assertEquals("back", secret.get());
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
