package com.astra.webhooks.worker;

import com.astra.webhooks.jobs.OrderedQueues;
import com.astra.webhooks.wiring.Wiring;

/** Ordered delivery as deployed, from the container's {@link Wiring}; null without an ordered stage. */
final class OrderedWiring {
    private OrderedWiring() {}

    static OrderedDispatcher ordered(Wiring wiring) {
        OrderedQueues ordered = wiring.orderedQueues();
        if (ordered == null) {
            return null;
        }
        DispatcherContext context = DispatcherWiring.context(wiring);
        return new OrderedDispatcher(context, wiring.sequences(), ordered, new AutoDisable(wiring.webhookStore(),
                context.queues(), wiring.settings().disableAfter(), context.clock()));
    }
}
