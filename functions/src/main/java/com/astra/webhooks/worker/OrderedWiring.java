package com.astra.webhooks.worker;

import com.astra.webhooks.config.Settings;
import com.astra.webhooks.jobs.OrderedQueues;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.wiring.Wiring;
import java.time.Clock;

/** Ordered delivery as deployed, from the container's {@link Wiring}; null without an ordered stage. */
final class OrderedWiring {
    private OrderedWiring() {}

    static OrderedDispatcher ordered(Wiring wiring) {
        OrderedQueues ordered = wiring.orderedQueues();
        if (ordered == null) {
            return null;
        }
        Settings settings = wiring.settings();
        Clock clock = wiring.clock();
        Queues queues = wiring.dispatcherQueues();
        return new OrderedDispatcher(wiring.webhookStore(), wiring.eventStore(), wiring.dispatchStore(),
                wiring.testModeStore(), wiring.sequences(), ordered, queues, wiring.sender(), settings.retrySchedule(),
                wiring.catalog(), new AutoDisable(wiring.webhookStore(), queues, settings.disableAfter(), clock),
                wiring.retention(), wiring.deliveryPool(), clock);
    }
}
