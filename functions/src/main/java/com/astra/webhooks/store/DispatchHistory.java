package com.astra.webhooks.store;

import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The tenant's view of its dispatch records: newest first, filterable, payloads joined in. The
 * entries of a cleared test-mode log are absent from every read here, at once, however many of
 * them are still stored (see {@code TestModeStore.TestMode.logClearedAt}).
 */
public interface DispatchHistory {

    /**
     * Narrows a list; null fields do not filter. {@code orderingKey}: only the dispatches of
     * ordered events with that key. {@code webhookIds}: only these webhooks (a caller limited to
     * some), read as their partitions only.
     */
    record Filter(String webhookId, String eventType, String outcome, String orderingKey,
            java.util.Set<String> webhookIds) {
        public static final Filter NONE = new Filter(null, null, null);

        public Filter {
            webhookIds = webhookIds == null ? null : java.util.Set.copyOf(webhookIds);
        }

        public Filter(String webhookId, String eventType, String outcome) {
            this(webhookId, eventType, outcome, null, null);
        }

        /** This filter, also limited to the ordering key {@code key} (null: unchanged). */
        public Filter withOrderingKey(String key) {
            return new Filter(webhookId, eventType, outcome, key, webhookIds);
        }

        /** This filter, also limited to {@code ids} (null: unchanged). */
        public Filter within(java.util.Set<String> ids) {
            return new Filter(webhookId, eventType, outcome, orderingKey, ids);
        }
    }

    /**
     * How large a page may be, in the caller's own measure: {@code bytesOf} counts what one
     * dispatch adds to the response (the API's JSON, say), {@code maxBytes} is the page's bound.
     */
    record SizeLimit(long maxBytes, ToLongFunction<Dispatch> bytesOf) {}

    /** The dispatch with its payload joined in. */
    Optional<Dispatch> get(String tenant, String id);

    /**
     * Dispatches matching the filter, newest first, payloads joined in. {@code size} bounds the
     * page's size: a page of large payloads stops early and still hands
     * back a cursor. The first match is returned whatever its size.
     */
    Page<Dispatch> list(String tenant, Filter filter, int limit, String cursor, SizeLimit size);

    /** The attempts a stats call reads, newest first; {@code sampled} when the window held more. */
    record Window(List<DeliveryStats.Attempt> attempts, boolean sampled) {}

    /**
     * One webhook's attempts that started in {@code [since, until]}: the newest {@code max} of
     * them, reduced to what the stats need, without the entries of a cleared test-mode log
     * (which still count against {@code max}: the read stays bounded).
     */
    Window window(String tenant, String webhookId, Instant since, Instant until, int max);
}
