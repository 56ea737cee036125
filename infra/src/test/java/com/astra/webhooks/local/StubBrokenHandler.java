package com.astra.webhooks.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A handler whose constructor throws, as one with a missing setting does: Lambda's init error. */
public class StubBrokenHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public StubBrokenHandler() {
        counter().incrementAndGet();
        throw new IllegalStateException("constructor detail");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return event;
    }

    /** How often the runtime tried to construct it; kept where the test's copy of this class sees it too. */
    static int attempts() {
        return counter().get();
    }

    private static AtomicInteger counter() {
        return (AtomicInteger) System.getProperties().computeIfAbsent("astra.stub.brokenInits", k -> new AtomicInteger());
    }
}
