package com.astra.webhooks.store.contract;

import com.astra.webhooks.model.Webhook;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** What the dispatch stores' contracts share: stores over one storage, a fresh tenant, its webhooks. */
public abstract class OverOneStorage {

    /** Stores over one storage; tenants here are fresh, so it may hold other tenants' records. */
    protected abstract StoreSet stores();

    StoreSet stores;
    final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void openStores() {
        stores = stores();
    }

    /** A webhook of the tenant, stored: the dispatch stores read the tenant's webhooks. */
    Webhook webhook() {
        Webhook w = Samples.webhook(tenant);
        stores.webhooks().create(w);
        return w;
    }
}
