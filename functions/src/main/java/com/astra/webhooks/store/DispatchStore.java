package com.astra.webhooks.store;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import java.util.Optional;

/** Dispatch records (one per attempt), newest first, filterable through indexes. */
public interface DispatchStore {

    /** Narrows a list; null fields do not filter. */
    record Filter(String webhookId, String eventType, String outcome) {
        public static final Filter NONE = new Filter(null, null, null);
    }

    void put(Dispatch dispatch);

    /** The dispatch with its payload joined in. */
    Optional<Dispatch> get(String tenant, String id);

    /**
     * Dispatches matching the filter, newest first, payloads joined in. {@code maxBytes} bounds the
     * page's size: a page of large payloads stops early and still hands back a cursor.
     */
    Page<Dispatch> list(String tenant, Filter filter, int limit, String cursor, long maxBytes);

    /** Deletes the tenant's intercepted dispatches (the test-mode log); returns how many. */
    int deleteIntercepted(String tenant);
}
