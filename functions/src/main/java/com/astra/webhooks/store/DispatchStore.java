package com.astra.webhooks.store;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Dispatch records (one per attempt) as the dispatcher and the jobs write them, with the reads
 * those writes depend on. A record's id can be computed before the attempt (see
 * {@code Ids.dispatchId}), so writing it once, conditionally, is at the same time the attempt's
 * claim: no separate delivery state is kept. The user's view of the records is
 * {@link DispatchHistory}.
 */
public interface DispatchStore {

    /**
     * Records an attempt unless a record with its id exists; false when one did (another
     * worker's). A record this call itself wrote on an earlier try whose answer was lost counts
     * as written (true): its retry is still this caller's to schedule.
     */
    boolean record(Dispatch dispatch);

    /** Records an attempt whose id is fresh (a test send, or an attempt another worker made too). */
    void put(Dispatch dispatch);

    /** The records of the given attempts, read strongly consistent, by webhook id; missing ones are absent. */
    Map<String, Dispatch> find(String tenant, Map<String, String> dispatchIdByWebhook);

    /**
     * The scheduled retry after this dispatch will not happen: its {@code nextAttemptAt} goes and
     * its {@code error} becomes {@code error} (which says why). Does nothing if the record is gone.
     */
    void dropRetry(String tenant, String webhookId, String dispatchId, String error);

    /**
     * Where a clear of the test-mode log resumes: at the webhook {@code webhookId} (webhooks in id
     * order; null: the first), after its entry {@code after} (null: from its oldest).
     */
    record ClearPosition(String webhookId, String after) {
        public static final ClearPosition START = new ClearPosition(null, null);
    }

    /**
     * Deletes, oldest first and webhook by webhook, the tenant's intercepted dispatches made up to
     * {@code clearedAt} (the test-mode log entries a clear hides), from {@code from} on, at most
     * {@code maxItems} of them with at most {@code maxQueries} queries. Returns where the next
     * call resumes, null when none are left. A batch DynamoDB throttles ends the call after it, so
     * one call holds at most one batch's back-off; one still unprocessed after the retry cap ends
     * it just before that batch, so the next call deletes it: none is skipped.
     */
    ClearPosition deleteIntercepted(String tenant, Instant clearedAt, ClearPosition from, int maxItems, int maxQueries);

    /**
     * One page, newest first (a chain's final attempt is its newest), of the webhook's failures that are final (no retry pending) and not
     * yet claimed by a recover, among dispatches made in [{@code since}, {@code until}], reading
     * at most {@code maxRead} index items after the dispatch id {@code after} (null: from the
     * start). The cursor is the id to pass as {@code after} next, null at the end of the range.
     */
    Page<Dispatch> finalFailures(String tenant, String webhookId, Instant since, Instant until, String after, int maxRead);

    /**
     * Marks a final failure as recovered at {@code at} by {@code claim} (a recover call, or a
     * resend): true when the mark is now, or already was, {@code claim}; false when another holds
     * it (or the record expired). The mark is what makes recover safe to run twice; making the
     * same claim again succeeds, so a claim can be repeated after a crash.
     */
    boolean claimRecovery(String tenant, String webhookId, String dispatchId, Instant at, String claim);

    /** Who holds a final failure's recover mark (strongly consistent); empty when nobody does or it is gone. */
    Optional<String> recoveryMark(String tenant, String webhookId, String dispatchId);
}
