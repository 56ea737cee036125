package com.astra.webhooks.testing;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.store.WebhookLimitReachedException;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.nio.charset.StandardCharsets;

/**
 * The one in-memory {@link WebhookStore}: it passes {@code WebhookStoreContract} like the
 * DynamoDB store. It also keeps a log of the writes made through it (secrets, disabling, failing
 * runs, slow marks), in order, for unit tests of their callers.
 */
public final class InMemoryWebhookStore implements WebhookStore {

    /** The writes made through this store, one line each ("disable wh_1: reason", "mark slow wh_1", …). */
    public final List<String> log = new CopyOnWriteArrayList<>();

    private final Map<String, Webhook> byKey = new HashMap<>();
    private final Map<String, Integer> finalFailures = new HashMap<>();
    private final Clock clock;
    private final int maxWebhooks;

    public InMemoryWebhookStore() {
        this(Clock.systemUTC(), MAX_WEBHOOKS_PER_TENANT);
    }

    public InMemoryWebhookStore(Clock clock, int maxWebhooks) {
        this.clock = clock;
        this.maxWebhooks = maxWebhooks;
    }

    @Override
    public synchronized void create(Webhook webhook) {
        if (byKey.containsKey(key(webhook.tenant(), webhook.id()))) {
            throw new IllegalStateException("webhook " + webhook.id() + " already exists");
        }
        if (byKey.values().stream().filter(w -> w.tenant().equals(webhook.tenant())).count() >= maxWebhooks) {
            throw new WebhookLimitReachedException(maxWebhooks);
        }
        byKey.put(key(webhook.tenant(), webhook.id()), webhook);
    }

    /** Stores {@code webhook} as it is, over any webhook of its id: a test's setup of a stored state (a slow mark, a disabled one). */
    public synchronized void replace(Webhook webhook) {
        byKey.put(key(webhook.tenant(), webhook.id()), webhook);
    }

    @Override
    public synchronized Optional<Webhook> get(String tenant, String id) {
        return Optional.ofNullable(byKey.get(key(tenant, id))).map(this::read);
    }

    @Override
    public synchronized Optional<Webhook> update(String tenant, String id, WebhookChanges c, Instant updatedAt) {
        log.add("update " + id);
        Webhook w = byKey.get(key(tenant, id));
        if (w == null) {
            return Optional.empty();
        }
        Signing signing = w.signing();
        if (c.signing() != null) {
            signing = !c.signing().usesEd25519() ? Signing.HMAC : w.signing().key() != null
                    ? new Signing(c.signing(), signing.key(), signing.keyFrom(), signing.previousKey(),
                            signing.previousKeyFrom(), signing.secretFrom(), signing.previousSecretFrom())
                    : new Signing(c.signing(), c.signingKey(), updatedAt, signing.previousKey(), signing.previousKeyFrom(),
                            signing.secretFrom(), signing.previousSecretFrom());
        }
        Webhook changed = new Webhook(w.id(), tenant, c.url() != null ? c.url() : w.url(),
                c.events() != null ? c.events() : w.events(),
                c.clearDescription() ? null : c.description() != null ? c.description() : w.description(),
                c.enabled() != null ? c.enabled() : w.enabled(), w.createdAt(), updatedAt, w.secret(),
                c.enabled() != null ? null : w.disabledReason(), c.headers() != null ? c.headers() : w.headers(),
                c.clearRateLimit() ? null : c.rateLimit() != null ? c.rateLimit() : w.rateLimit(),
                w.previousSecret(), w.previousSecretExpiresAt(), w.failingSince(), signing,
                c.clearFilter() ? null : c.filter() != null ? c.filter() : w.filter(),
                c.clearRetrySchedule() ? null : c.retrySchedule() != null ? c.retrySchedule() : w.retrySchedule(),
                w.slowSince());
        byKey.put(key(tenant, id), changed);
        return Optional.of(changed);
    }

    @Override
    public synchronized boolean disable(String tenant, String id, String reason, Instant updatedAt) {
        log.add("disable " + id + ": " + reason);
        Webhook w = byKey.get(key(tenant, id));
        if (w == null || !w.enabled()) {
            return false;
        }
        finalFailures.remove(key(tenant, id));
        byKey.put(key(tenant, id), new Webhook(w.id(), tenant, w.url(), w.events(), w.description(), false,
                w.createdAt(), updatedAt, w.secret(), reason, w.headers(), w.rateLimit(), w.previousSecret(),
                w.previousSecretExpiresAt(), null, w.signing(), w.filter(), w.retrySchedule(), w.slowSince()));
        return true;
    }

    @Override
    public synchronized Optional<FailingRun> markFailing(String tenant, String id, Instant at) {
        log.add("mark failing " + id);
        Webhook w = byKey.get(key(tenant, id));
        if (w == null) {
            return Optional.empty();
        }
        Instant since = w.failingSince() != null ? w.failingSince() : at;
        byKey.put(key(tenant, id), withMarks(w, since, w.slowSince()));
        return Optional.of(new FailingRun(since, finalFailures.merge(key(tenant, id), 1, Integer::sum)));
    }

    @Override
    public synchronized void clearFailing(String tenant, String id) {
        log.add("clear failing " + id);
        Webhook w = byKey.get(key(tenant, id));
        if (w != null) {
            finalFailures.remove(key(tenant, id));
            byKey.put(key(tenant, id), withMarks(w, null, w.slowSince()));
        }
    }

    @Override
    public synchronized void markSlow(String tenant, String id, Instant at) {
        log.add("mark slow " + id);
        Webhook w = byKey.get(key(tenant, id));
        if (w != null && w.slowSince() == null) {
            byKey.put(key(tenant, id), withMarks(w, w.failingSince(), at));
        }
    }

    @Override
    public synchronized void clearSlow(String tenant, String id) {
        log.add("clear slow " + id);
        Webhook w = byKey.get(key(tenant, id));
        if (w != null) {
            byKey.put(key(tenant, id), withMarks(w, w.failingSince(), null));
        }
    }

    @Override
    public synchronized boolean delete(String tenant, String id) {
        finalFailures.remove(key(tenant, id));
        return byKey.remove(key(tenant, id)) != null;
    }

    @Override
    public synchronized boolean rotateSecret(Webhook current, String secret, Ed25519KeyPair key,
            Instant previousExpiresAt, Instant updatedAt) {
        log.add("rotate " + current.id() + (key == null ? "" : " and its key pair") + " previous until " + previousExpiresAt);
        Webhook w = byKey.get(key(current.tenant(), current.id()));
        if (w == null || (key == null) != (w.signing().key() == null)) {
            return false;
        }
        boolean grace = previousExpiresAt != null;
        Signing s = w.signing();
        Signing rotated = new Signing(s.mode(), key == null ? null : key, key == null ? null : updatedAt,
                grace && key != null ? s.key() : null,
                grace && key != null ? (s.keyFrom() != null ? s.keyFrom() : w.createdAt()) : null,
                updatedAt, grace ? (s.secretFrom() != null ? s.secretFrom() : w.createdAt()) : null);
        byKey.put(key(w.tenant(), w.id()), new Webhook(w.id(), w.tenant(), w.url(), w.events(), w.description(),
                w.enabled(), w.createdAt(), updatedAt, secret, w.disabledReason(), w.headers(), w.rateLimit(),
                grace ? w.secret() : null, previousExpiresAt, w.failingSince(), rotated, w.filter(), w.retrySchedule(),
                w.slowSince()));
        return true;
    }

    @Override
    public synchronized boolean erasePreviousSecret(String tenant, String id, Instant now) {
        log.add("erase " + id + " at " + now);
        return erase(tenant, id, now);
    }

    private boolean erase(String tenant, String id, Instant now) {
        Webhook w = byKey.get(key(tenant, id));
        if (w == null || w.previousSecretExpiresAt() == null || w.previousSecretExpiresAt().isAfter(now)) {
            return false;
        }
        byKey.put(key(tenant, id), w.withoutPreviousSecret());
        return true;
    }

    /** Webhooks newest id first; a cursor is the encoded id to continue after, anything else is refused. */
    @Override
    public synchronized Page<Webhook> list(String tenant, int limit, String cursor) {
        List<Webhook> all = listAll(tenant);
        int from = 0;
        if (cursor != null) {
            String after = decode(cursor, tenant);
            from = all.stream().map(Webhook::id).toList().indexOf(after) + 1;
            if (from == 0) {
                from = (int) all.stream().filter(w -> w.id().compareTo(after) > 0).count();
            }
        }
        List<Webhook> page = List.copyOf(all.subList(from, Math.min(all.size(), from + limit)));
        String next = from + limit < all.size() ? encode(tenant, page.get(page.size() - 1).id()) : null;
        return new Page<>(page, next);
    }

    @Override
    public synchronized List<Webhook> listAll(String tenant) {
        List<Webhook> all = new ArrayList<>();
        byKey.values().stream().filter(w -> w.tenant().equals(tenant))
                .sorted(Comparator.comparing(Webhook::id).reversed()).forEach(w -> all.add(read(w)));
        return all;
    }

    /** As stored, minus a previous secret whose grace is over, which is erased on the way (not logged: no caller asked). */
    private Webhook read(Webhook w) {
        if (w.previousSecretExpired(clock.instant())) {
            erase(w.tenant(), w.id(), clock.instant());
            return w.withoutPreviousSecret();
        }
        return w;
    }

    private static Webhook withMarks(Webhook w, Instant failingSince, Instant slowSince) {
        return new Webhook(w.id(), w.tenant(), w.url(), w.events(), w.description(), w.enabled(), w.createdAt(),
                w.updatedAt(), w.secret(), w.disabledReason(), w.headers(), w.rateLimit(), w.previousSecret(),
                w.previousSecretExpiresAt(), failingSince, w.signing(), w.filter(), w.retrySchedule(), slowSince);
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }

    private static String encode(String tenant, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((tenant + "\n" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, String tenant) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 2 && parts[0].equals(tenant)) {
                return parts[1];
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below like any other forged cursor
        }
        throw new InvalidCursorException("cursor does not belong to this list");
    }
}
