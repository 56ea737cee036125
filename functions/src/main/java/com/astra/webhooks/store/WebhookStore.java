package com.astra.webhooks.store;

import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import java.util.List;
import java.util.Optional;

/** Webhooks by tenant. Every method is scoped to one tenant: another tenant's id is simply absent. */
public interface WebhookStore {

    void create(Webhook webhook);

    Optional<Webhook> get(String tenant, String id);

    /** Replaces the stored webhook if it still exists; false if it was deleted meanwhile. */
    boolean update(Webhook webhook);

    boolean delete(String tenant, String id);

    Page<Webhook> list(String tenant, int limit, String cursor);

    /** Every webhook of the tenant, for fan-out. */
    List<Webhook> listAll(String tenant);
}
