package com.astra.webhooks.core;

import java.time.Duration;

/**
 * Every bound the HTTP API puts on what a caller sends, in one place: the checks read them from
 * here, their error messages print them, and RequestLimitsTest holds openapi.yaml's
 * {@code maxLength}, {@code maximum} and {@code maxItems} to the same values, so the contract a
 * client reads and the service it calls cannot drift apart.
 *
 * <p>API Gateway's own bounds (10 MB bodies, 10 KB of request line and headers) are AWS's, not
 * ours; the local runner's stand-in keeps those in {@code ApiGatewayBridge}.
 */
public final class RequestLimits {
    private RequestLimits() {}

    // --- every request

    /** A JSON request body, in UTF-8 bytes (413 above). */
    public static final int BODY_BYTES = 64 * 1024;
    /** A bearer token; real ones are well under 8 KB, and refusing larger ones bounds parsing work. */
    public static final int BEARER_TOKEN_CHARS = 8 * 1024;
    /** A tenant id, from a token, an agent's message or the token command. */
    public static final int TENANT_CHARS = 256;
    /**
     * An {@code orderingKey}, in an agent's message or the inspector's filter: SQS's bound on the
     * MessageGroupId it becomes (printable ASCII only, see {@code OrderingKey}).
     */
    public static final int ORDERING_KEY_CHARS = 128;

    // --- lists

    /** {@code limit} when absent. */
    public static final int PAGE_SIZE_DEFAULT = 50;
    /** A larger {@code limit} counts as this (not an error: a client asking for "everything" gets pages). */
    public static final int PAGE_SIZE_MAX = 200;
    /**
     * A page's estimated JSON size: a page stops early rather than exceed it, well under Lambda's
     * 6 MB response limit whatever the items' size.
     */
    public static final long PAGE_BYTES = 5_000_000;

    // --- a webhook's fields (WebhookValidator, CustomHeaders, RetryScheduleLimits, EventFilter)

    public static final int URL_CHARS = 2048;
    /** Distinct event type names in {@code events}. */
    public static final int EVENTS = 50;
    public static final int DESCRIPTION_CHARS = 1024;
    /** {@code rateLimit}, deliveries per second. */
    public static final int RATE_LIMIT_MAX = 10_000;
    public static final int CUSTOM_HEADERS = 20;
    public static final int CUSTOM_HEADER_NAME_CHARS = 64;
    public static final int CUSTOM_HEADER_VALUE_CHARS = 1024;
    /** The filter document serialized as compact JSON, in UTF-8 bytes. */
    public static final int FILTER_BYTES = 4096;
    /** Nesting of objects and lists in the filter document; the filter object itself is level 1. */
    public static final int FILTER_DEPTH = 8;
    public static final int RETRY_DELAYS = 20;
    /** The floor is ours: twenty 0 s delays would be a burst at a receiver that is already failing. */
    public static final Duration RETRY_DELAY_MIN = Duration.ofSeconds(1);
    public static final Duration RETRY_DELAY_MAX = Duration.ofHours(24);
    public static final Duration RETRY_TOTAL_MAX = Duration.ofDays(3);

    // --- other request bodies

    /** {@code gracePeriodSeconds} of a secret rotation: default one day, at most a week. */
    public static final long GRACE_SECONDS_DEFAULT = 86_400;
    public static final long GRACE_SECONDS_MAX = 604_800;
    /** How far back a recovery ({@code since}) may start. */
    public static final Duration RECOVER_MAX_BACK = Duration.ofDays(14);
    public static final Duration PORTAL_LINK_TTL_DEFAULT = Duration.ofHours(1);
    public static final Duration PORTAL_LINK_TTL_MIN = Duration.ofSeconds(60);
    public static final Duration PORTAL_LINK_TTL_MAX = Duration.ofDays(1);
    /** {@code webhookIds} of a portal link. */
    public static final int PORTAL_LINK_WEBHOOKS = 20;
}
