package com.astra.webhooks.store;

import java.time.Instant;

/** The per-tenant test-mode switch. Reads are strongly consistent: an enable is seen by the next batch. */
public interface TestModeStore {

    record TestMode(boolean enabled, Instant updatedAt) {
        public static final TestMode OFF = new TestMode(false, null);
    }

    TestMode get(String tenant);

    TestMode set(String tenant, boolean enabled, Instant now);
}
