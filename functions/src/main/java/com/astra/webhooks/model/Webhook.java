package com.astra.webhooks.model;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.retry.RetrySchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tenant's subscription: where to POST which event types. {@code secret} is "whsec_" + base64(32 bytes).
 * {@code disabledReason} says why the service (not the tenant) disabled it; null otherwise.
 * {@code headers} are sent with every delivery; {@code rateLimit} is deliveries per second, null for
 * unlimited. After a rotation, {@code previousSecret} still signs until {@code previousSecretExpiresAt}.
 * {@code failingSince} is when its current run of final failures began (null after a success).
 * {@code signing} says which signatures its deliveries carry and holds its Ed25519 keys.
 * {@code filter} decides which events it gets beyond their type (null: all of them);
 * {@code retrySchedule} replaces the service's schedule for its retries (null: the service's).
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
        Signing signing,
        EventFilter filter,
        RetrySchedule retrySchedule,
        Instant slowSince) {

    /**
     * A webhook signing with its HMAC secret alone, without a payload filter or a retry schedule of its
     * own, whose receiver is not known to be slow (see {@code ReceiverHealth}).
     */
    public Webhook(String id, String tenant, String url, List<String> events, String description, boolean enabled,
            Instant createdAt, Instant updatedAt, String secret, String disabledReason, Map<String, String> headers,
            Integer rateLimit, String previousSecret, Instant previousSecretExpiresAt, Instant failingSince) {
        this(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, disabledReason, headers,
                rateLimit, previousSecret, previousSecretExpiresAt, failingSince, Signing.HMAC, null, null, null);
    }

    /** A webhook whose receiver is not known to be slow (see {@code ReceiverHealth}): a new one, or a sample. */
    public Webhook(String id, String tenant, String url, List<String> events, String description, boolean enabled,
            Instant createdAt, Instant updatedAt, String secret, String disabledReason, Map<String, String> headers,
            Integer rateLimit, String previousSecret, Instant previousSecretExpiresAt, Instant failingSince,
            Signing signing, EventFilter filter, RetrySchedule retrySchedule) {
        this(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, disabledReason, headers,
                rateLimit, previousSecret, previousSecretExpiresAt, failingSince, signing, filter, retrySchedule, null);
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

    /** Whether an event, as its envelope ({@code id, event, timestamp, data}), passes this webhook's filter. */
    public boolean accepts(Map<String, Object> envelope) {
        return filter == null || filter.matches(envelope);
    }

    /** The schedule its failed deliveries follow: its own, or else the service's. */
    public RetrySchedule retryScheduleOr(RetrySchedule serviceDefault) {
        return retrySchedule == null ? serviceDefault : retrySchedule;
    }


    /**
     * The keys a delivery at {@code now} is signed with, each giving one signature: the current
     * ones ({@code whsec_} secret and/or {@code whsk_} private key, as {@code signing} says), then
     * the previous ones during their grace.
     */
    public List<String> signingSecrets(Instant now) {
        List<String> keys = new ArrayList<>(4);
        boolean inGrace = previousSecret != null && !previousSecretExpired(now);
        addKeys(keys, secret, signing.key());
        if (inGrace) {
            addKeys(keys, previousSecret, signing.previousKey());
        }
        return List.copyOf(keys);
    }

    private void addKeys(List<String> keys, String hmacSecret, Ed25519KeyPair pair) {
        if (signing.mode().usesHmac()) {
            keys.add(hmacSecret);
        }
        if (signing.mode().usesEd25519() && pair != null) {
            keys.add(pair.privateKey());
        }
    }

    /** True when a previous secret is still stored although its grace period is over: it must be erased. */
    public boolean previousSecretExpired(Instant now) {
        return previousSecret != null && !now.isBefore(previousSecretExpiresAt);
    }

    /** This webhook as it is once its expired previous secret has been erased. */
    public Webhook withoutPreviousSecret() {
        return new Webhook(id, tenant, url, events, description, enabled, createdAt, updatedAt, secret, disabledReason,
                headers, rateLimit, null, null, failingSince, signing.withoutPrevious(), filter, retrySchedule, slowSince);
    }
}
