package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Ids;
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
 * pending) not yet recovered is queued as attempt 1 of a new chain with trigger "recover",
 * which then runs the whole retry schedule like any event, and then claimed with one
 * conditional write on its record, marked with the chain's start. The dispatcher starts only the
 * chain that holds the mark: that is what makes two recovers (even at once) send each event
 * once, and a crash between queueing and claiming lose none. The page bound keeps every call
 * short, whatever the window holds: the request does the first page, each further page is a
 * queue message the dispatcher handles.
 */
public final class Recovery {

    /** The prefix of a recover call's claim on the failures it queues. */
    static final String CLAIM = "rcv_";

    /** How long a page's tasks stay invisible: its claims (one write each) take about 2 s for 500 on AWS. */
    static final int CLAIM_HEAD_START_SECONDS = 5;

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
    public boolean handle(RecoveryPage page) {
        Optional<Webhook> webhook = webhooks.get(page.tenant(), page.webhookId());
        if (webhook.isPresent() && webhook.get().enabled()) {
            page(page);
        }
        return true;
    }

    /**
     * Whether a recover's first attempt may be made: its chain holds the failure's mark (the
     * claim its call made). A task whose call crashed before the claim
     * claims now; a task that lost to another recover or to a resend is dropped. One strongly
     * consistent read when the claim was made, as it nearly always was.
     */
    public boolean mayStart(RetryTask task) {
        if (task.claim() == null || task.previousId() == null) {
            return true;
        }
        Optional<String> mark = dispatches.recoveryMark(task.tenant(), task.webhookId(), task.previousId());
        if (mark.isPresent()) {
            return mark.get().equals(task.claim());
        }
        return dispatches.claimRecovery(task.tenant(), task.webhookId(), task.previousId(), task.dueAt(), task.claim());
    }

    private int page(RecoveryPage page) {
        Page<Dispatch> failures = dispatches.finalFailures(page.tenant(), page.webhookId(), page.since(), page.until(),
                page.after(), PAGE_READ);
        List<RetryTask> tasks = new ArrayList<>();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // Unique per call, unlike a time: two recovers in one millisecond must not both win.
        String claim = Ids.newId(CLAIM);
        for (Dispatch failed : failures.items()) {
            tasks.add(new RetryTask(failed.tenant(), failed.eventId(), failed.eventType(), failed.webhookId(), 1, at,
                    failed.id(), Dispatch.Trigger.RECOVER, null, claim, RetryTask.Ordering.sentWith(failed.requestHeaders())));
        }
        // Queued before they are claimed: a crash between the two leaves a task whose claim the
        // dispatcher makes itself (mayStart), never a claim that nothing will send. The head
        // start lets this call's claims land first, so the dispatcher only reads them.
        queues.queueAll(tasks, CLAIM_HEAD_START_SECONDS);
        int claimed = 0;
        for (RetryTask task : tasks) {
            if (dispatches.claimRecovery(page.tenant(), page.webhookId(), task.previousId(), at, claim)) {
                claimed++;
            }
        }
        if (failures.nextCursor() != null) {
            queues.continueRecovery(new RecoveryPage(page.tenant(), page.webhookId(), page.since(), page.until(),
                    failures.nextCursor()));
        }
        return claimed;
    }
}
