package com.astra.webhooks.worker;

import com.astra.webhooks.config.Settings;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.wiring.Wiring;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * The dispatcher as deployed, assembled from the container's {@link Wiring}. It lives beside the
 * dispatcher, not in the wiring, so the wiring never depends on the packages that use it.
 */
public final class DispatcherWiring {

    private DispatcherWiring() {
    }

    public static Dispatcher dispatcher(Wiring wiring) {
        Settings settings = wiring.settings();
        DispatcherContext context = context(wiring);
        Clock clock = context.clock();
        Queues queues = context.queues();
        ExecutorService delivery = context.executor();
        return new Dispatcher(context,
                new SecretErasure(wiring.webhookStore(), wiring.secretExpiries(), clock),
                new RateLimitGate(wiring.rateLimiter(), queues, clock, delivery),
                new Recovery(wiring.webhookStore(), wiring.dispatchStore(), queues, clock),
                new AutoDisable(wiring.webhookStore(), queues, settings.disableAfter(), clock),
                settings.slowQueueUrl() == null || settings.slowAfter().isZero() ? SlowLane.none()
                        : SlowLane.over(queues, wiring.webhookStore(),
                                SlowLane.threshold(settings.slowAfter(), wiring.deliveryTimeout()), clock));
    }

    /** What the dispatcher's stages share, as deployed: one queue client and one delivery pool for all. */
    public static DispatcherContext context(Wiring wiring) {
        return new DispatcherContext(wiring.webhookStore(), wiring.eventStore(), wiring.dispatchStore(),
                wiring.testModeStore(), wiring.dispatcherQueues(), wiring.sender(), wiring.catalog(),
                wiring.settings().retrySchedule(), wiring.retention(), wiring.claimLease(), wiring.deliveryPool(),
                wiring.clock());
    }

    /** The dispatcher's logs, metrics and deadline per invocation. */
    public static BatchReports batchReports(Wiring wiring) {
        return new BatchReports(wiring.deliveryTimeout(), wiring.clock());
    }
}
