package com.astra.webhooks.worker;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.webhook.RecoverWindow;
import com.astra.webhooks.webhook.WebhookDisabledException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * POST /webhooks/{id}/recover (DESIGN.md "Recovery and endpoint health"). Reads the webhook's
 * sparse index of failed dispatches page by page, newest first (where the final attempts are); each final failure (no retry
 * pending) not yet recovered is claimed with one conditional write on its record and, if the
 * claim wins, queued as attempt 1 of a new chain with trigger "recover", which then runs the
 * whole retry schedule like any event. The claim is what makes two recovers (even at once)
 * send each event once; the page bound keeps every call short, whatever the window holds: the
 * request does the first page, each further page is a queue message the dispatcher handles.
 */
public final class Recovery {

    /** Index items read per page: at most about 500 KB, well inside a Lambda's and API Gateway's time. */
    static final int PAGE_READ = 500;

    private final WebhookStore webhooks;
    private final DispatchStore dispatches;
    private final Queues queues;
    private final Clock clock;

    public Recovery(WebhookStore webhooks, DispatchStore dispatches, Queues queues, Clock clock) {
        this.webhooks = webhooks;
        this.dispatches = dispatches;
        this.queues = queues;
        this.clock = clock;
    }

    /**
     * Queues the first page's events now and the rest in the background; returns how many this
     * call queued from its first page, empty when the webhook does not exist.
     *
     * @throws WebhookDisabledException when the webhook is disabled
     */
    public Optional<Integer> start(String tenant, String webhookId, RecoverWindow window) {
        Optional<Webhook> webhook = webhooks.get(tenant, webhookId);
        if (webhook.isEmpty()) {
            return Optional.empty();
        }
        if (!webhook.get().enabled()) {
            throw new WebhookDisabledException(webhookId);
        }
        return Optional.of(page(new RecoveryPage(tenant, webhookId, window.since(), window.until(), null)));
    }

    /** One page of a recover carried on the queue; true when done (the next page, if any, is queued). */
    public boolean handle(QueueMessage message) {
        RecoveryPage page;
        try {
            page = RecoveryPage.fromJson(message.body());
        } catch (PoisonMessageException e) {
            queues.deadLetter(message.body(), e.getMessage());
            return true;
        }
        Optional<Webhook> webhook = webhooks.get(page.tenant(), page.webhookId());
        if (webhook.isPresent() && webhook.get().enabled()) {
            page(page);
        }
        return true;
    }

    private int page(RecoveryPage page) {
        Page<Dispatch> failures = dispatches.finalFailures(page.tenant(), page.webhookId(), page.since(), page.until(),
                page.after(), PAGE_READ);
        List<RetryTask> tasks = new ArrayList<>();
        for (Dispatch failed : failures.items()) {
            Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (dispatches.claimRecovery(page.tenant(), page.webhookId(), failed.id(), at)) {
                tasks.add(new RetryTask(failed.tenant(), failed.eventId(), failed.eventType(), failed.webhookId(), 1, at,
                        failed.id(), Dispatch.Trigger.RECOVER));
            }
        }
        queues.queueAll(tasks);
        if (failures.nextCursor() != null) {
            queues.continueRecovery(new RecoveryPage(page.tenant(), page.webhookId(), page.since(), page.until(),
                    failures.nextCursor()));
        }
        return tasks.size();
    }
}
