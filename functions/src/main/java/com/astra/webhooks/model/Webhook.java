package com.astra.webhooks.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tenant's subscription: where to POST which event types. {@code secret} is "whsec_" + base64(32 bytes).
 * {@code disabledReason} says why the service (not the tenant) disabled it; null otherwise.
 * {@code headers} are sent with every delivery; {@code rateLimit} is deliveries per second, null for
 * unlimited. After a rotation, {@code previousSecret} still signs until {@code previousSecretExpiresAt}.
 * {@code failingSince} is when its current run of final failures began (null after a success).
 * {@code slowSince} is when its receiver was last found slow (an attempt timed out or ran past the
 * slow-lane threshold), null once it answers in time again: its deliveries go to the slow lane.
 */
public record Webhook(
        String id,
        String tenant,
        String url,
        List<String> events,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        String secret,
        String disabledReason,
        Map<String, String> headers,
        Integer rateLimit,
        String previousSecret,
        Instant previousSecretExpiresAt,
        Instant failingSince,
        Instant slowSince) {

    /** A webhook whose receiver is not known to be slow (see {@code ReceiverHealth}). */
    public Webhook(String id, String tenant, String url, List<String> events, String description, boolean enabled,
            Instant createdAt, Instant updatedAt, String secret, String disabledReason, Map<String, String> headers,
            Integer rateLimit, String previousSecret, Instant previousSecretExpiresAt, Instant failingSince) {
        this(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, disabledReason, headers,
                rateLimit, previousSecret, previousSecretExpiresAt, failingSince, null);
    }

    /** A webhook without a failing-since mark (see {@code AutoDisable}). */
    public Webhook(String id, String tenant, String url, List<String> events, String description, boolean enabled,
            Instant createdAt, Instant updatedAt, String secret, String disabledReason, Map<String, String> headers,
            Integer rateLimit, String previousSecret, Instant previousSecretExpiresAt) {
        this(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, disabledReason, headers,
                rateLimit, previousSecret, previousSecretExpiresAt, null);
    }

    public static final String ALL_EVENTS = "*";

    /** What the dispatcher records when a receiver answers 410 (DESIGN.md "Receiver etiquette"). */
    public static final String GONE_REASON = "receiver answered 410 Gone";

    /** A webhook nobody disabled, without custom headers, rate limit or rotation in progress. */
    public Webhook(String id, String tenant, String url, List<String> events, String description, boolean enabled,
            Instant createdAt, Instant updatedAt, String secret) {
        this(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, null, Map.of(), null, null,
                null);
    }

    public boolean subscribesTo(String eventType) {
        return events.contains(ALL_EVENTS) || events.contains(eventType);
    }

    /** The secrets a delivery at {@code now} is signed with: the current one, then the previous one during its grace. */
    public List<String> signingSecrets(Instant now) {
        return previousSecret != null && !previousSecretExpired(now) ? List.of(secret, previousSecret) : List.of(secret);
    }

    /** True when a previous secret is still stored although its grace period is over: it must be erased. */
    public boolean previousSecretExpired(Instant now) {
        return previousSecret != null && !now.isBefore(previousSecretExpiresAt);
    }

    /** This webhook as it is once its expired previous secret has been erased. */
    public Webhook withoutPreviousSecret() {
        return new Webhook(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, disabledReason,
                headers, rateLimit, null, null, failingSince, slowSince);
    }
}
