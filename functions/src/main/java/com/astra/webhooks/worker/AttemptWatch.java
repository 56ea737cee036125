package com.astra.webhooks.worker;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The slow lane's watch over one fast-lane POST: if the POST is still running after the
 * threshold, the watch takes the attempt away from it (interrupting the waiting thread, which
 * the delivery client answers by abandoning the exchange), so that the batch need not wait for
 * it. Exactly one side wins: the POST that ends first keeps its outcome; a POST taken away
 * leaves no record, and its attempt is made again on the slow lane.
 */
final class AttemptWatch {

    /** No watch: the attempt always keeps its outcome (slow lane, test mode, no slow lane at all). */
    static final AttemptWatch NONE = new AttemptWatch();

    private final Thread thread;
    private ScheduledFuture<?> timer;
    private boolean decided;
    private boolean takenAway;

    private AttemptWatch() {
        this.thread = null;
        this.decided = true;
    }

    private AttemptWatch(Thread thread) {
        this.thread = thread;
    }

    /** Watches the POST the calling thread is about to make. */
    static AttemptWatch start(ScheduledExecutorService timers, Duration after) {
        AttemptWatch watch = new AttemptWatch(Thread.currentThread());
        ScheduledFuture<?> timer = timers.schedule(watch::expire, after.toNanos(), TimeUnit.NANOSECONDS);
        synchronized (watch) {
            watch.timer = timer;
        }
        return watch;
    }

    private synchronized void expire() {
        if (!decided) {
            decided = true;
            takenAway = true;
            thread.interrupt();
        }
    }

    /**
     * Called by the attempt's thread once its POST returned: true if the attempt keeps its outcome,
     * false if the watch took it away (the interrupt it sent is cleared here, before the thread
     * goes on to other work).
     */
    boolean keep() {
        if (thread == null) {
            return true;
        }
        synchronized (this) {
            if (!takenAway) {
                decided = true;
                if (timer != null) {
                    timer.cancel(false);
                }
                return true;
            }
        }
        Thread.interrupted();
        return false;
    }
}
