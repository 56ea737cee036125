package com.astra.webhooks.webhook;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/** Creating, reading, changing and deleting a tenant's webhooks. */
public final class WebhookService {

    private final WebhookStore store;
    private final WebhookValidator validator;
    private final Clock clock;

    public WebhookService(WebhookStore store, WebhookValidator validator, Clock clock) {
        this.store = store;
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * The new webhook, with its secret: the only time the secret leaves the service. Every webhook
     * gets an HMAC secret, whatever it signs with; one signing with Ed25519 gets a key pair too,
     * whose private half never leaves the service.
     */
    public Webhook create(String tenant, Map<String, Object> body) {
        WebhookChanges changes = validator.forCreate(body);
        Instant now = now();
        Signing signing = Signing.of(changes.signing(),
                changes.signing().usesEd25519() ? Ed25519KeyPair.generate() : null);
        Webhook webhook = new Webhook(Ids.newId(Ids.WEBHOOK), tenant, changes.url(), changes.events(),
                changes.description(), changes.enabled() == null || changes.enabled(), now, now,
                WebhookSigner.newSecret(), null, changes.headers(), changes.rateLimit(), null, null, null, signing,
                changes.filter(), changes.retrySchedule());
        store.create(webhook);
        return webhook;
    }

    public Optional<Webhook> get(String tenant, String id) {
        return store.get(tenant, id);
    }

    public Page<Webhook> list(String tenant, int limit, String cursor) {
        return store.list(tenant, limit, cursor);
    }

    /**
     * Empty when the webhook does not exist for this tenant. Validation comes first, so a bad body
     * never changes anything; then only the fields in the body are written, so a concurrent change
     * to another field (another PUT, the dispatcher disabling on 410) is kept.
     *
     * <p>A change to an Ed25519 mode carries a fresh key pair, which the store keeps only if the
     * webhook has none (so {@code ed25519} to {@code both} keeps the key receivers already have);
     * a change to {@code hmac} drops the key pairs, current and previous.
     */
    public Optional<Webhook> update(String tenant, String id, Map<String, Object> body) {
        WebhookChanges changes = validator.forUpdate(body);
        if (changes.signing() != null && changes.signing().usesEd25519()) {
            changes = changes.withSigningKey(Ed25519KeyPair.generate());
        }
        return store.update(tenant, id, changes, now());
    }

    public boolean delete(String tenant, String id) {
        return store.delete(tenant, id);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
