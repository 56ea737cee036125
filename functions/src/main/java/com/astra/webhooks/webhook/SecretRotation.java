package com.astra.webhooks.webhook;

import static com.astra.webhooks.core.Text.printable;
import static com.astra.webhooks.webhook.WebhookValidator.problem;
import static com.astra.webhooks.webhook.WebhookValidator.summary;
import static com.astra.webhooks.webhook.WebhookValidator.wholeNumber;

import com.astra.webhooks.core.signing.WebhookSigner;
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
 * week), so receivers can switch without a window in which they reject real deliveries.
 */
public final class SecretRotation {

    public static final long DEFAULT_GRACE_SECONDS = 86_400;
    public static final long MAX_GRACE_SECONDS = 604_800;
    private static final String FIELD = "gracePeriodSeconds";

    /** What the caller gets back: the new secret (the only time it is shown) and when the old one stops. */
    public record Rotated(String id, String secret, Instant previousSecretExpiresAt) {}

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
        if (store.get(tenant, id).isEmpty()) {
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
        if (!store.rotateSecret(tenant, id, secret, grace.isZero() ? null : expiresAt, now)) {
            return Optional.empty(); // deleted meanwhile; the scheduled erase finds nothing to do
        }
        return Optional.of(new Rotated(id, secret, expiresAt));
    }

    private static Duration gracePeriod(Map<String, Object> body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!FIELD.equals(field)) {
                problems.add(problem(printable(field), "unknown field; allowed: " + FIELD));
            }
        }
        Long seconds = body.containsKey(FIELD) ? wholeNumber(body.get(FIELD), 0, MAX_GRACE_SECONDS)
                : Long.valueOf(DEFAULT_GRACE_SECONDS); // boxed: a mixed conditional would unbox the null
        if (seconds == null) {
            problems.add(problem(FIELD, "must be a whole number of seconds from 0 to " + MAX_GRACE_SECONDS));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(summary(problems), problems);
        }
        return Duration.ofSeconds(seconds);
    }
}
