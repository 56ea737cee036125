package com.astra.webhooks.store.dynamodb;

/**
 * The one table's key design. Every key starts with the tenant, so no query can cross tenants.
 * Sort keys are ULID-based ids, so "newest first" is ScanIndexForward=false.
 *
 * <pre>
 * item                pk                        sk                gsi1 (sparse: failed and intercepted only)
 * webhook             T#{tenant}                WH#{webhookId}
 * test-mode flag      T#{tenant}                TESTMODE
 * webhook count       T#{tenant}                WEBHOOK_COUNT
 * event (payload)     E#{tenant}#{eventId}      EVENT
 * dispatch            W#{tenant}#{webhookId}    {dispatchId}      W#{tenant}#{webhookId}#{outcome} / dispatchId
 * </pre>
 *
 * A dispatch is one attempt, and its record is also its claim: its id is computed from the
 * event, webhook and attempt (see {@code Ids.dispatchId}) and written once, conditionally. A
 * webhook's history is its own partition, so {@code /webhooks/{id}/deliveries} needs no index;
 * a tenant-wide list merges the partitions of the tenant's webhooks (the {@code WH#} items of
 * {@code T#{tenant}}). Delivered dispatches, the common case, write no index entry; failed and
 * intercepted ones also go to gsi1 (projection ALL), keyed by webhook and time, for the
 * {@code outcome} filters, the test-mode log and recovery of failed deliveries in a time range.
 * The webhook count ({@code webhooks}, a number) is changed in the same transaction as every
 * webhook put and delete, so the per-tenant cap holds exactly; its sort key lies outside
 * {@code WH#}, so no webhook query ever reads it.
 * The event item holds {@code seen}, when a worker first took the event up. Dispatches and
 * events carry {@code expiresAt} (epoch seconds) for DynamoDB TTL.
 */
public final class TableLayout {
    private TableLayout() {}

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1PK = "gsi1pk";
    public static final String GSI1SK = "gsi1sk";
    public static final String EXPIRES_AT = "expiresAt";

    public static String tenantKey(String tenant) {
        return "T#" + tenant;
    }

    public static String webhookSortKey(String webhookId) {
        return "WH#" + webhookId;
    }

    public static final String WEBHOOK_PREFIX = "WH#";
    public static final String TEST_MODE_SORT_KEY = "TESTMODE";
    /** Not under {@link #WEBHOOK_PREFIX}: webhook lists and fan-out never see it. */
    public static final String WEBHOOK_COUNT_SORT_KEY = "WEBHOOK_COUNT";

    public static String eventKey(String tenant, String eventId) {
        return "E#" + tenant + "#" + eventId;
    }

    public static final String EVENT_SORT_KEY = "EVENT";

    /** One webhook's history. */
    public static String dispatchesKey(String tenant, String webhookId) {
        return "W#" + tenant + "#" + webhookId;
    }

    /** One webhook's failed (or intercepted) dispatches, in the sparse index. */
    public static String dispatchesByOutcomeKey(String tenant, String webhookId, String outcome) {
        return "W#" + tenant + "#" + webhookId + "#" + outcome;
    }

    /** A webhook's send-rate slots ({@link DynamoDbRateLimiter}): a partition of its own, so
     * its writes never share a partition's throughput with the tenant's other items. */
    public static String rateLimitKey(String tenant, String webhookId) {
        return "RL#" + tenant + "#" + webhookId;
    }

    public static String rateLimitSortKey(int shard) {
        return "SLOT#" + shard;
    }
}
