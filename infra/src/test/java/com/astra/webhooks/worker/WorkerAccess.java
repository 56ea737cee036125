package com.astra.webhooks.worker;

/** Lets integration tests in other packages wrap their own Dispatcher in the real Lambda handler. */
public final class WorkerAccess {
    private WorkerAccess() {}

    public static DispatcherHandler handler(Dispatcher dispatcher) {
        return new DispatcherHandler(dispatcher);
    }
}
