package com.astra.webhooks.dispatch;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.webhook.WebhookDisabledException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * POST /webhook-inspector/{id}/resend: that dispatch's event sent again now, synchronously, to
 * its webhook as it is today (current URL, secret(s) and headers), whatever the first outcome
 * was. Recorded as a new dispatch with trigger "resend", intercepted in test mode, not retried:
 * the caller sees the outcome and decides.
 */
public final class Resend {

    private final WebhookStore webhooks;
    private final DispatchHistory history;
    private final DispatchStore dispatches;
    private final TestModeStore testModes;
    private final Supplier<Sender> sender;

    /** @param sender asked on each resend, so that a function builds its HTTP client only when it first sends */
    public Resend(WebhookStore webhooks, DispatchHistory history, DispatchStore dispatches, TestModeStore testModes,
            Supplier<Sender> sender) {
        this.webhooks = webhooks;
        this.history = history;
        this.dispatches = dispatches;
        this.testModes = testModes;
        this.sender = sender;
    }

    /**
     * The new dispatch; empty when the dispatch, its webhook or its event's payload (past
     * retention) is not there for this tenant.
     *
     * @throws WebhookDisabledException when the webhook is disabled
     */
    public Optional<Dispatch> resend(String tenant, String dispatchId) {
        Optional<Dispatch> original = history.get(tenant, dispatchId).filter(d -> d.payload() != null);
        if (original.isEmpty()) {
            return Optional.empty();
        }
        Dispatch d = original.get();
        Optional<Webhook> webhook = webhooks.get(tenant, d.webhookId());
        if (webhook.isEmpty()) {
            return Optional.empty();
        }
        if (!webhook.get().enabled()) {
            throw new WebhookDisabledException(d.webhookId());
        }
        // an ordered delivery's resend repeats its key and number, but is not ordered: a manual repair
        Dispatch sent = sender.get().attempt(OrderingHeaders.repeated(webhook.get(), d.requestHeaders()), d.eventId(), d.eventType(), d.payload(), 1,
                testModes.get(tenant).enabled()).withTrigger(Dispatch.Trigger.RESEND);
        dispatches.put(sent);
        if (sent.outcome() == Dispatch.Outcome.DELIVERED && d.outcome() == Dispatch.Outcome.FAILED
                && d.nextAttemptAt() == null) {
            // The final failure is repaired: a later recover must not send it again.
            dispatches.claimRecovery(tenant, d.webhookId(), d.id(), sent.createdAt(), sent.id());
        }
        return Optional.of(sent.withPayload(d.payload()));
    }
}
