package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch takes a POST away after its threshold, exactly once, and leaves the thread clean. */
class AttemptWatchTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void aPostThatEndsInTimeKeepsItsOutcomeAndIsNeverInterrupted() throws Exception {
        AttemptWatch watch = AttemptWatch.start(timers, Duration.ofMillis(200));
        assertTrue(watch.keep());
        new CountDownLatch(1).await(400, TimeUnit.MILLISECONDS); // past the threshold: the cancelled timer must not fire
        assertFalse(Thread.interrupted(), "no interrupt after the attempt kept its outcome");
    }

    @Test
    void aPostStillRunningAtTheThresholdIsInterruptedAndTakenAway() {
        AttemptWatch watch = AttemptWatch.start(timers, Duration.ofMillis(50));
        boolean interrupted;
        try {
            new CountDownLatch(1).await(10, TimeUnit.SECONDS); // the "POST": waits until the watch interrupts it
            interrupted = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // as the delivery client does
            interrupted = true;
        }
        assertTrue(interrupted, "the watch interrupts the waiting thread");
        assertFalse(watch.keep(), "the attempt was taken away");
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is cleared before the thread goes on");
    }

    @Test
    void noWatchAlwaysKeeps() {
        assertTrue(AttemptWatch.NONE.keep());
    }
}
