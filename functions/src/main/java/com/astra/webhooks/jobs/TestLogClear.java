package com.astra.webhooks.jobs;

import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.DispatchStore.ClearPosition;
import com.astra.webhooks.store.TestModeStore;
import java.time.Instant;

/**
 * DELETE /webhooks/test-mode/log (DESIGN.md "Test mode"). One write marks the moment of the
 * clear: from then on no list shows an entry intercepted up to it. The entries' items are then
 * deleted a bounded chunk at a time, oldest first: the request does the first chunk, each further
 * one is a queue message the dispatcher handles, which queues the next; a crash mid-chunk brings
 * its message back, and deleting again what is already gone is harmless. So a log of any size is
 * cleared by a request of bounded time.
 */
public final class TestLogClear {

    /**
     * Items deleted per request or message: 40 BatchWriteItem calls of 25. Measured through the
     * runner, a DELETE that deletes 1000 takes about 0.3 s in all (TestModeLogClearTest prints
     * it; README "Test mode"); at DynamoDB's 10-30 ms a batch it stays near a second, and a
     * throttled batch ends the chunk, so one request holds at most one batch's back-off (~5 s).
     */
    static final int CHUNK_ITEMS = 1000;
    /** Queries per chunk: a tenant with many webhooks, each with a few entries, is bounded too. */
    static final int CHUNK_QUERIES = 50;

    private final TestModeStore testModes;
    private final DispatchStore dispatches;
    private final Queues queues;
    private final int chunkItems;

    public TestLogClear(TestModeStore testModes, DispatchStore dispatches, Queues queues) {
        this(testModes, dispatches, queues, CHUNK_ITEMS);
    }

    TestLogClear(TestModeStore testModes, DispatchStore dispatches, Queues queues, int chunkItems) {
        this.testModes = testModes;
        this.dispatches = dispatches;
        this.queues = queues;
        this.chunkItems = chunkItems;
    }

    /**
     * Hides the tenant's log up to {@code at}, deletes a first chunk and queues the rest. Once the
     * mark is written the clear stands: a fault in the first chunk hands all of it to the queue.
     */
    public void start(String tenant, Instant at) {
        testModes.clearLog(tenant, at);
        TestLogClearChunk all = new TestLogClearChunk(tenant, at, ClearPosition.START);
        try {
            chunk(all);
        } catch (RuntimeException e) {
            queues.continueTestLogClear(all);
        }
    }

    /** One chunk carried on the queue; true when the message is done with (the next one, if any, is queued). */
    public boolean handle(TestLogClearChunk chunk) {
        chunk(chunk);
        return true;
    }

    private void chunk(TestLogClearChunk chunk) {
        ClearPosition next = dispatches.deleteIntercepted(chunk.tenant(), chunk.clearedAt(), chunk.from(), chunkItems,
                CHUNK_QUERIES);
        if (next != null) {
            queues.continueTestLogClear(new TestLogClearChunk(chunk.tenant(), chunk.clearedAt(), next));
        }
    }
}
