package com.astra.webhooks.testing;

import com.astra.webhooks.store.TestModeStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The one in-memory {@link TestModeStore}: it passes {@code TestModeStoreContract} like the DynamoDB store. */
public final class InMemoryTestModeStore implements TestModeStore {

    private final Map<String, TestMode> byTenant = new ConcurrentHashMap<>();

    @Override
    public TestMode get(String tenant) {
        return byTenant.getOrDefault(tenant, TestMode.OFF);
    }

    @Override
    public TestMode set(String tenant, boolean enabled, Instant now) {
        return byTenant.compute(tenant, (t, old) -> new TestMode(enabled, now, old == null ? null : old.logClearedAt()));
    }

    @Override
    public void clearLog(String tenant, Instant at) {
        byTenant.compute(tenant, (t, old) -> {
            TestMode mode = old == null ? TestMode.OFF : old;
            boolean later = mode.logClearedAt() == null || mode.logClearedAt().toEpochMilli() < at.toEpochMilli();
            return new TestMode(mode.enabled(), mode.updatedAt(),
                    later ? Instant.ofEpochMilli(at.toEpochMilli()) : mode.logClearedAt());
        });
    }
}
