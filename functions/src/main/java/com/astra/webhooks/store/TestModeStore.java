package com.astra.webhooks.store;

import java.time.Instant;

/** The per-tenant test-mode switch. Reads are strongly consistent: an enable is seen by the next batch. */
public interface TestModeStore {

    /**
     * {@code logClearedAt}: when the test-mode log was last cleared (null: never). Every entry
     * intercepted up to that millisecond is gone from the user's view at once, whether or not
     * its item has been deleted yet (see {@code TestLogClear}).
     */
    record TestMode(boolean enabled, Instant updatedAt, Instant logClearedAt) {
        public static final TestMode OFF = new TestMode(false, null, null);

        public TestMode(boolean enabled, Instant updatedAt) {
            this(enabled, updatedAt, null);
        }
    }

    TestMode get(String tenant);

    /** Switches test mode; the log's clear mark stays. */
    TestMode set(String tenant, boolean enabled, Instant now);

    /** Hides every log entry intercepted up to {@code at} (one write); a later mark already set stays. */
    void clearLog(String tenant, Instant at);
}
