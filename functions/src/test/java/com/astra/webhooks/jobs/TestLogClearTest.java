package com.astra.webhooks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.DispatchStore.ClearPosition;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.testing.InMemoryTestModeStore;
import com.astra.webhooks.testing.JobMessages;
import com.astra.webhooks.testing.RecordingQueues;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clear's bookkeeping over a scripted dispatch store (faults on cue) and the test-mode fake: mark first, one chunk per call, the rest queued, never lost. */
class TestLogClearTest {

    private static final Instant AT = Instant.parse("2026-11-27T06:00:00.123Z");
    private static final ClearPosition MIDWAY = new ClearPosition("wh_b", "dispatch_01");

    private final List<String> calls = new ArrayList<>();
    private final List<Instant> marksAtDelete = new ArrayList<>();
    /** What each deleteIntercepted call answers: a position, null (done) or an exception to throw. */
    private final Deque<Object> script = new ArrayDeque<>();
    private final RecordingQueues queues = new RecordingQueues();

    private final InMemoryTestModeStore testModes = new InMemoryTestModeStore();

    private final DispatchStore dispatches = (DispatchStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {DispatchStore.class}, (proxy, method, args) -> {
                if (!method.getName().equals("deleteIntercepted")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                // the mark as stored when the deletes start: it must already hide what they delete
                marksAtDelete.add(testModes.get((String) args[0]).logClearedAt());
                calls.add("delete " + args[0] + " " + args[1] + " from " + args[2] + " max " + args[3] + "/" + args[4]);
                Object next = script.isEmpty() ? null : script.poll();
                if (next instanceof RuntimeException e) {
                    throw e;
                }
                return next == NONE ? null : next;
            });
    private static final Object NONE = new Object();

    private final TestLogClear clear = new TestLogClear(testModes, dispatches, queues);

    @Test
    void theMarkIsWrittenFirstThenOneChunkIsDeletedAndTheRestQueued() {
        script.add(MIDWAY);

        clear.start("t-1", AT);

        assertEquals(List.of("delete t-1 " + AT + " from " + ClearPosition.START + " max "
                + TestLogClear.CHUNK_ITEMS + "/" + TestLogClear.CHUNK_QUERIES), calls);
        assertEquals(List.of(AT), marksAtDelete, "the mark is stored before the first delete");
        assertEquals(List.of(new TestLogClearChunk("t-1", AT, MIDWAY)), queues.clears);
    }

    @Test
    void aLogThatFitsInOneChunkQueuesNothing() {
        script.add(NONE);

        clear.start("t-1", AT);

        assertEquals(1, calls.size());
        assertEquals(AT, testModes.get("t-1").logClearedAt());
        assertEquals(List.of(), queues.clears);
    }

    @Test
    void aFaultInTheRequestsChunkHandsTheWholeClearToTheQueue() {
        script.add(new IllegalStateException("DynamoDB throttled"));

        clear.start("t-1", AT);

        assertEquals(List.of(new TestLogClearChunk("t-1", AT, ClearPosition.START)), queues.clears);
        assertEquals(AT, testModes.get("t-1").logClearedAt(), "the clear stands: its entries are hidden");
    }

    @Test
    void aQueuedChunkDeletesFromItsPositionAndQueuesTheNextUntilNoneIsLeft() {
        ClearPosition further = new ClearPosition("wh_c", null);
        script.add(further);
        script.add(NONE);

        assertTrue(clear.handle(afterTheQueue(new TestLogClearChunk("t-1", AT, MIDWAY))));
        assertTrue(clear.handle(afterTheQueue(queues.clears.get(0))));

        assertEquals(List.of(
                "delete t-1 " + AT + " from " + MIDWAY + " max " + TestLogClear.CHUNK_ITEMS + "/" + TestLogClear.CHUNK_QUERIES,
                "delete t-1 " + AT + " from " + further + " max " + TestLogClear.CHUNK_ITEMS + "/" + TestLogClear.CHUNK_QUERIES),
                calls);
        assertEquals(List.of(new TestLogClearChunk("t-1", AT, further)), queues.clears, "one message per chunk, then none");
        assertEquals(TestModeStore.TestMode.OFF, testModes.get("t-1"), "a chunk does not write the mark again");
    }

    @Test
    void aChunkThatFailsMidwayLetsItsMessageComeBack() {
        script.add(new IllegalStateException("connection reset"));

        assertThrows(IllegalStateException.class, () -> clear.handle(afterTheQueue(new TestLogClearChunk("t-1", AT, MIDWAY))));

        assertEquals(List.of(), queues.clears);
        assertEquals(List.of(), queues.deadLettered);
    }

    @Test
    void malformedChunksArePoisonWithTheirReason() {
        List<String> bodies = List.of("", "not json", "[]", "{}", "{\"tenant\":\"t-1\"}",
                "{\"tenant\":\"t#1\",\"clearedAt\":\"" + AT + "\"}",
                "{\"tenant\":\"t-1\",\"clearedAt\":\"yesterday\"}",
                "{\"tenant\":\"t-1\",\"clearedAt\":\"" + AT + "\",\"webhookId\":7}",
                "{\"tenant\":\"t-1\",\"clearedAt\":\"" + AT + "\",\"after\":\"\"}");
        for (String body : bodies) {
            assertEquals(new Poison(body, "test-mode log clear message is malformed"),
                    JobMessages.CODEC.decode(message(body)), body);
        }
    }

    @Test
    void aChunkSurvivesItsTripThroughTheQueue() throws Exception {
        for (ClearPosition p : List.of(ClearPosition.START, new ClearPosition("wh_a", null), MIDWAY)) {
            TestLogClearChunk chunk = new TestLogClearChunk("t-1", AT, p);
            assertEquals(chunk, JobMessages.roundTrip(chunk));
        }
    }

    /** A malformed body under a test-log-clear chunk's attributes. */
    private static QueueMessage message(String body) {
        return new QueueMessage("m-1", body, JobCodec.encode(new TestLogClearChunk("t-1", AT, MIDWAY)).attributes(), 1);
    }

    private static TestLogClearChunk afterTheQueue(TestLogClearChunk chunk) {
        return (TestLogClearChunk) JobMessages.roundTrip(chunk);
    }
}
