package com.astra.webhooks.webhook;

import static com.astra.webhooks.core.Text.printable;
import static com.astra.webhooks.webhook.WebhookValidator.problem;
import static com.astra.webhooks.webhook.WebhookValidator.summary;
import static com.astra.webhooks.webhook.WebhookValidator.wholeNumber;

import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POST /webhooks/{id}/rotate-secret (DESIGN.md "Recovery and endpoint health"): a new secret
 * now, the old one still signing for {@code gracePeriodSeconds} (default one day, at most a
 * week), so receivers can switch without a window in which they reject real deliveries. A
 * webhook that signs with Ed25519 gets a new key pair too, under the same grace.
 */
public final class SecretRotation {

    private static final String FIELD = "gracePeriodSeconds";

    /**
     * What the caller gets back: the new secret (the only time it is shown), the new public key
     * (null for a webhook that does not sign with Ed25519) and when the old ones stop.
     */
    public record Rotated(String id, String secret, String publicKey, Instant previousSecretExpiresAt) {}

    /** Reads and writes of one rotation: a PUT that adds or drops a key pair in between makes it read again. */
    private static final int MAX_TRIES = 3;

    private final WebhookStore store;
    private final SecretExpiries expiries;
    private final Clock clock;

    public SecretRotation(WebhookStore store, SecretExpiries expiries, Clock clock) {
        this.store = store;
        this.expiries = expiries;
        this.clock = clock;
    }

    /** Empty when the webhook does not exist for this tenant; a bad body changes nothing. */
    public Optional<Rotated> rotate(String tenant, String id, Map<String, Object> body) {
        Duration grace = gracePeriod(body);
        Optional<Webhook> current = store.get(tenant, id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = now.plus(grace);
        String secret = WebhookSigner.newSecret();
        if (!grace.isZero()) {
            // Scheduled before the write: if the queue is down the rotation fails with nothing
            // changed, rather than leaving an old secret that only a reader would ever erase.
            expiries.schedule(tenant, id, expiresAt);
        }
        for (int tries = 1; current.isPresent(); tries++) {
            Ed25519KeyPair key = current.get().signing().key() == null ? null : Ed25519KeyPair.generate();
            if (store.rotateSecret(current.get(), secret, key, grace.isZero() ? null : expiresAt, now)) {
                return Optional.of(new Rotated(id, secret, key == null ? null : key.publicKey(), expiresAt));
            }
            if (tries == MAX_TRIES) {
                throw new IllegalStateException("the signing keys of " + id + " kept changing during a rotation");
            }
            current = store.get(tenant, id);
        }
        return Optional.empty(); // deleted meanwhile; the scheduled erase finds nothing to do
    }

    private static Duration gracePeriod(Map<String, Object> body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!FIELD.equals(field)) {
                problems.add(problem(printable(field), "unknown field; allowed: " + FIELD));
            }
        }
        Long seconds = body.containsKey(FIELD) ? wholeNumber(body.get(FIELD), 0, RequestLimits.GRACE_SECONDS_MAX)
                : Long.valueOf(RequestLimits.GRACE_SECONDS_DEFAULT); // boxed: a mixed conditional would unbox the null
        if (seconds == null) {
            problems.add(problem(FIELD, "must be a whole number of seconds from 0 to " + RequestLimits.GRACE_SECONDS_MAX));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(summary(problems), problems);
        }
        return Duration.ofSeconds(seconds);
    }
}
