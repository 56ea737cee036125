package com.astra.webhooks.store;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks by tenant. Every method is scoped to one tenant: another tenant's id is simply absent.
 * A read never returns a previous secret whose grace period is over, and erases it from storage.
 * Changes write only the fields they name, in one conditional write, so two writers changing
 * different fields never undo each other.
 */
public interface WebhookStore {

    /**
     * The most webhooks one tenant may have. It bounds every loop over a tenant's webhooks: the
     * dispatcher's fan-out read, and the tenant-wide inspector's one query per webhook.
     */
    int MAX_WEBHOOKS_PER_TENANT = 1_000;

    /**
     * Stores a new webhook, counted against its tenant's {@link #MAX_WEBHOOKS_PER_TENANT}
     * exactly, however many creates race.
     *
     * @throws WebhookLimitReachedException when the tenant already has that many; nothing is written
     */
    void create(Webhook webhook);

    Optional<Webhook> get(String tenant, String id);

    /**
     * Writes the fields {@code changes} names (and {@code updatedAt}) if the webhook still exists;
     * naming {@code enabled} clears {@code disabledReason}. The webhook as stored afterwards, or
     * empty if it does not exist.
     */
    Optional<Webhook> update(String tenant, String id, WebhookChanges changes, Instant updatedAt);

    /**
     * Sets {@code enabled=false} with the reason (and drops the failing-since mark), touching
     * nothing else; false if the webhook is gone or already disabled, so one caller alone wins.
     */
    boolean disable(String tenant, String id, String reason, Instant updatedAt);

    /** A webhook's run of final failures: since when, and how many. */
    record FailingRun(Instant since, int finalFailures) {}

    /**
     * Counts one more final failure, starting the run at {@code at} if none is running; the run
     * as stored afterwards, empty if the webhook is gone.
     */
    Optional<FailingRun> markFailing(String tenant, String id, Instant at);

    /** Ends the run of failures (a delivery succeeded), if one is running. */
    void clearFailing(String tenant, String id);

    /** Marks the receiver as found slow at {@code at}, unless it is marked already (or the webhook is gone). */
    void markSlow(String tenant, String id, Instant at);

    /** Removes the slow mark (the receiver answered in time again), if there is one. */
    void clearSlow(String tenant, String id);

    /** Removes the webhook and frees its slot; false (and nothing freed) if it did not exist. */
    boolean delete(String tenant, String id);

    /**
     * Makes {@code secret} the current secret and keeps the current one as the previous secret
     * until {@code previousExpiresAt}, dropping any older previous secret; with
     * {@code previousExpiresAt} null the current one is dropped at once. {@code key}, given
     * exactly when {@code current} (the webhook as just read) has an Ed25519 key pair, replaces
     * that pair the same way. One conditional write of those fields alone; false if the webhook
     * does not exist or has gained or lost its key pair since it was read.
     */
    boolean rotateSecret(Webhook current, String secret, Ed25519KeyPair key, Instant previousExpiresAt, Instant updatedAt);

    /**
     * Erases the previous secret and the previous Ed25519 key pair from storage if their grace
     * period is over at {@code now}. False when there was nothing to erase (none, still in grace,
     * or the webhook is gone).
     */
    boolean erasePreviousSecret(String tenant, String id, Instant now);

    Page<Webhook> list(String tenant, int limit, String cursor);

    /** Every webhook of the tenant (at most {@link #MAX_WEBHOOKS_PER_TENANT}), for fan-out. */
    List<Webhook> listAll(String tenant);
}
