package com.astra.webhooks.worker;

import com.astra.webhooks.aws.SnapStartPriming;

/** Lets integration tests in other packages reach the dispatcher handler's package-private parts. */
public final class WorkerAccess {
    private WorkerAccess() {}

    /** Wraps a test's own Dispatcher in the real Lambda handler. */
    public static DispatcherHandler handler(Dispatcher dispatcher) {
        return new DispatcherHandler(dispatcher, new BatchReports(java.time.Duration.ofSeconds(10), java.time.Clock.systemUTC()));
    }

    /** The SnapStart warm-up the no-argument constructor registered. */
    public static SnapStartPriming priming(DispatcherHandler handler) {
        return handler.priming;
    }
}
