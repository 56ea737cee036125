package com.astra.webhooks.store.dynamodb;

/**
 * The one table's key design. Every key starts with the tenant, so no query can cross tenants.
 * Sort keys are ULID-based ids, so "newest first" is ScanIndexForward=false.
 *
 * <pre>
 * item                pk                                sk                 gsi1 (by webhook)              gsi2 (by event type)          gsi3 (by outcome)
 * webhook             T#{tenant}                        WH#{webhookId}
 * test-mode flag      T#{tenant}                        TESTMODE
 * event (payload)     E#{tenant}#{eventId}              EVENT
 * delivery state      E#{tenant}#{eventId}              WH#{webhookId}
 * dispatch            T#{tenant}#D                      {dispatchId}       T#{t}#WH#{webhookId} / id      T#{t}#ET#{eventType} / id     T#{t}#OC#{outcome} / id
 * </pre>
 *
 * The GSIs project the keys and the three filter fields (webhookId, eventType, outcome): an
 * index item stays far below 1 KB, so an index write costs one write unit whatever the
 * dispatch size; combined filters are checked on the index, and only matches are fetched by
 * key afterwards. The test-mode log is the
 * gsi3 partition of outcome "intercepted". Dispatches, events and delivery states carry
 * {@code expiresAt} (epoch seconds) for DynamoDB TTL.
 */
public final class TableLayout {
    private TableLayout() {}

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1PK = "gsi1pk";
    public static final String GSI1SK = "gsi1sk";
    public static final String GSI2 = "gsi2";
    public static final String GSI2PK = "gsi2pk";
    public static final String GSI2SK = "gsi2sk";
    public static final String GSI3 = "gsi3";
    public static final String GSI3PK = "gsi3pk";
    public static final String GSI3SK = "gsi3sk";
    public static final String EXPIRES_AT = "expiresAt";

    public static String tenantKey(String tenant) {
        return "T#" + tenant;
    }

    public static String webhookSortKey(String webhookId) {
        return "WH#" + webhookId;
    }

    public static final String WEBHOOK_PREFIX = "WH#";
    public static final String TEST_MODE_SORT_KEY = "TESTMODE";

    public static String eventKey(String tenant, String eventId) {
        return "E#" + tenant + "#" + eventId;
    }

    public static final String EVENT_SORT_KEY = "EVENT";

    public static String dispatchesKey(String tenant) {
        return "T#" + tenant + "#D";
    }

    public static String dispatchesByWebhookKey(String tenant, String webhookId) {
        return "T#" + tenant + "#WH#" + webhookId;
    }

    public static String dispatchesByTypeKey(String tenant, String eventType) {
        return "T#" + tenant + "#ET#" + eventType;
    }

    public static String dispatchesByOutcomeKey(String tenant, String outcome) {
        return "T#" + tenant + "#OC#" + outcome;
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
