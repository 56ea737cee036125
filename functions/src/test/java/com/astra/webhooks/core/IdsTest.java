package com.astra.webhooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdsTest {

    private static final Instant AT = Instant.parse("2020-01-01T00:00:00.123Z");

    @Test
    void everyWorkerComputesTheSameIdForTheSameAttempt() {
        String id = Ids.dispatchId(AT, "t-1", "evt_1", "wh_1", "1");
        assertEquals(id, Ids.dispatchId(AT, "t-1", "evt_1", "wh_1", "1"));
        assertTrue(id.matches("dispatch_[0-9a-z]{26}"), id);
    }

    @Test
    void anotherAttemptWebhookEventOrTenantGetsAnotherId() {
        String id = Ids.dispatchId(AT, "t-1", "evt_1", "wh_1", "1");
        assertNotEquals(id, Ids.dispatchId(AT, "t-1", "evt_1", "wh_1", "2"));
        assertNotEquals(id, Ids.dispatchId(AT, "t-1", "evt_1", "wh_2", "1"));
        assertNotEquals(id, Ids.dispatchId(AT, "t-1", "evt_2", "wh_1", "1"));
        assertNotEquals(id, Ids.dispatchId(AT, "t-2", "evt_1", "wh_1", "1"));
        // the parts are delimited: moving a character from one part to the next changes the id
        assertNotEquals(Ids.dispatchId(AT, "ab", "c"), Ids.dispatchId(AT, "a", "bc"));
    }

    @Test
    void idsSortByTheirTimeAsFreshIdsDo() {
        String earlier = Ids.dispatchId(AT, "t", "evt_z", "wh_z", "1");
        String later = Ids.dispatchId(AT.plusMillis(1), "t", "evt_a", "wh_a", "1");
        assertTrue(later.compareTo(earlier) > 0);
        assertTrue(Ids.newId(Ids.DISPATCH).compareTo(later) > 0, "a fresh id made now sorts after a 2020 one");
    }

    @Test
    void theBoundsOfAMillisecondEncloseEveryIdOfItAndNoOther() {
        String id = Ids.dispatchId(AT, "t", "evt_1", "wh_1", "1");
        assertTrue(Ids.firstDispatchIdAt(AT).compareTo(id) <= 0);
        assertTrue(Ids.lastDispatchIdAt(AT).compareTo(id) >= 0);
        assertTrue(Ids.lastDispatchIdAt(AT.minusMillis(1)).compareTo(Ids.firstDispatchIdAt(AT)) < 0);
        assertTrue(Ids.firstDispatchIdAt(AT.plusMillis(1)).compareTo(Ids.lastDispatchIdAt(AT)) > 0);
    }
}
