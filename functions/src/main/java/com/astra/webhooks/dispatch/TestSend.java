package com.astra.webhooks.dispatch;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * POST /webhooks/{id}/test: one {@code webhook.test} event sent now, synchronously, whatever the
 * webhook subscribes to and even if it is disabled (the user asked for it). It is recorded like
 * any dispatch, intercepted in test mode, and not retried: the caller sees the outcome at once.
 */
public final class TestSend {

    private final WebhookStore webhooks;
    private final EventStore events;
    private final DispatchStore dispatches;
    private final TestModeStore testModes;
    private final Supplier<Sender> sender;
    private final Clock clock;
    private final Duration retention;

    /** @param sender asked on each send, so that a function builds its HTTP client only when it first sends */
    public TestSend(WebhookStore webhooks, EventStore events, DispatchStore dispatches, TestModeStore testModes,
            Supplier<Sender> sender, Clock clock, Duration retention) {
        this.webhooks = webhooks;
        this.events = events;
        this.dispatches = dispatches;
        this.testModes = testModes;
        this.sender = sender;
        this.clock = clock;
        this.retention = retention;
    }

    public Optional<Dispatch> send(String tenant, String webhookId) {
        return webhooks.get(tenant, webhookId).map(webhook -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Event event = new Event(Ids.newId(Ids.EVENT), tenant, EventTypeCatalog.TEST_EVENT, now,
                    Map.of("webhookId", webhookId, "message", "This is a test event from Astra Webhooks."));
            String payload = events.putIfAbsent(tenant, event.id(), event.type(), Envelope.of(event), now,
                    now.plus(retention)).payload();
            Dispatch dispatch = sender.get().attempt(webhook, event.id(), event.type(), payload, 1, testModes.get(tenant).enabled())
                    .withTrigger(Dispatch.Trigger.TEST);
            dispatches.put(dispatch);
            return dispatch.withPayload(payload);
        });
    }
}
