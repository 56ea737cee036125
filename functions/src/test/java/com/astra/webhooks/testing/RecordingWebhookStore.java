package com.astra.webhooks.testing;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.store.WebhookStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Webhooks in a map, and a log of the writes made to them (secrets, disabling, failing runs), in order, for unit tests of their callers. */
public final class RecordingWebhookStore implements WebhookStore {

    public final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, Webhook> byKey = new ConcurrentHashMap<>();

    @Override
    public void create(Webhook webhook) {
        byKey.put(webhook.tenant() + "/" + webhook.id(), webhook);
    }

    @Override
    public Optional<Webhook> get(String tenant, String id) {
        return Optional.ofNullable(byKey.get(tenant + "/" + id));
    }

    @Override
    public Optional<Webhook> update(String tenant, String id, WebhookChanges changes, Instant updatedAt) {
        log.add("update " + id);
        return get(tenant, id);
    }

    @Override
    public boolean disable(String tenant, String id, String reason, Instant updatedAt) {
        log.add("disable " + id + ": " + reason);
        return byKey.containsKey(tenant + "/" + id);
    }

    @Override
    public boolean delete(String tenant, String id) {
        return byKey.remove(tenant + "/" + id) != null;
    }

    @Override
    public boolean rotateSecret(Webhook current, String secret, Ed25519KeyPair key, Instant previousExpiresAt,
            Instant updatedAt) {
        log.add("rotate " + current.id() + (key == null ? "" : " and its key pair") + " previous until " + previousExpiresAt);
        return byKey.containsKey(current.tenant() + "/" + current.id());
    }

    @Override
    public boolean erasePreviousSecret(String tenant, String id, Instant now) {
        log.add("erase " + id + " at " + now);
        return true;
    }

    @Override
    public Page<Webhook> list(String tenant, int limit, String cursor) {
        return new Page<>(listAll(tenant), null);
    }

    @Override
    public List<Webhook> listAll(String tenant) {
        return byKey.values().stream().filter(w -> w.tenant().equals(tenant)).toList();
    }

    private final Map<String, FailingRun> runs = new ConcurrentHashMap<>();

    @Override
    public Optional<FailingRun> markFailing(String tenant, String id, Instant at) {
        log.add("mark failing " + id);
        return Optional.of(runs.merge(tenant + "/" + id, new FailingRun(at, 1),
                (old, one) -> new FailingRun(old.since(), old.finalFailures() + 1)));
    }

    @Override
    public void clearFailing(String tenant, String id) {
        log.add("clear failing " + id);
        runs.remove(tenant + "/" + id);
    }

    @Override
    public void markSlow(String tenant, String id, Instant at) {
        log.add("mark slow " + id);
    }

    @Override
    public void clearSlow(String tenant, String id) {
        log.add("clear slow " + id);
    }
}
