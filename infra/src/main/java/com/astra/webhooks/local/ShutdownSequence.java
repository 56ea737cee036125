package com.astra.webhooks.local;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the runner started, stopped in reverse order of starting, once. Start-up pushes each
 * part as soon as it runs, so a failed start stops exactly what did start; one part failing to stop
 * does not keep the others running.
 */
final class ShutdownSequence implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Runs before anything stops (the SQS port that refuses new sends), when set. */
    private Runnable first = () -> {};

    void push(AutoCloseable part) {
        started.push(part);
    }

    void first(Runnable action) {
        first = action;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        first.run();
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("[astra-local] while stopping: " + e);
            }
        }
        stopped.countDown();
    }

    /** Blocks until {@link #close()} has stopped everything (the command line waits here for Ctrl-C). */
    void await() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
