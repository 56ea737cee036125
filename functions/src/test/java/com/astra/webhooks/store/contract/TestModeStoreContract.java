package com.astra.webhooks.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.TestModeStore.TestMode;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TestModeStore} does, run against the in-memory fake and against DynamoDB. */
public abstract class TestModeStoreContract {

    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00.123Z");
    private static final Instant T2 = Instant.parse("2026-12-01T11:00:00.456Z");

    /** A store; tenants here are fresh, so it may hold other tenants' state. */
    protected abstract TestModeStore store();

    private TestModeStore store;
    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void open() {
        store = store();
    }

    @Test
    void aTenantThatNeverSwitchedIsOff() {
        assertEquals(TestMode.OFF, store.get(tenant));
    }

    @Test
    void aSwitchIsReadBackAndKeepsTheLogsClearMark() {
        store.clearLog(tenant, T1);
        TestMode on = store.set(tenant, true, T2);

        assertEquals(new TestMode(true, T2, T1), on);
        assertEquals(on, store.get(tenant));
        assertEquals(new TestMode(false, T2.plusSeconds(1), T1), store.set(tenant, false, T2.plusSeconds(1)));
    }

    @Test
    void aClearKeepsTheSwitchAndAnEarlierClearDoesNotMoveTheMarkBack() {
        store.set(tenant, true, T1);
        store.clearLog(tenant, T2);
        store.clearLog(tenant, T1);

        assertEquals(new TestMode(true, T1, T2), store.get(tenant));
    }

    @Test
    void tenantsDoNotShareASwitch() {
        store.set(tenant, true, T1);

        assertEquals(TestMode.OFF, store.get(tenant + "-other"));
    }
}
