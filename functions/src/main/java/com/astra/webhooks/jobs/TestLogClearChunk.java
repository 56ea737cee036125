package com.astra.webhooks.jobs;

import com.astra.webhooks.store.DispatchStore.ClearPosition;
import java.time.Instant;

/**
 * The rest of a clear of the test-mode log still to delete: the tenant's entries intercepted up
 * to {@code clearedAt}, from {@code from} on. Carried on the events queue so that a log of any
 * size is deleted one bounded chunk per message.
 */
public record TestLogClearChunk(String tenant, Instant clearedAt, ClearPosition from) implements Job {

    @Override
    public Kind kind() {
        return Kind.TEST_LOG_CLEAR;
    }
}
