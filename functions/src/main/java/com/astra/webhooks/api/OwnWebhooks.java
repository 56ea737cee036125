package com.astra.webhooks.api;

import com.astra.webhooks.auth.Caller;
import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.webhook.WebhookService;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /webhooks} for a token limited to some webhooks: those of them that exist, newest
 * first, read one by one (a link names at most {@code RequestLimits.PORTAL_LINK_WEBHOOKS}), paged by the
 * last id shown.
 */
final class OwnWebhooks {
    private OwnWebhooks() {}

    static Page<Webhook> page(WebhookService webhooks, Caller caller, int limit, String cursor) {
        List<Webhook> all = caller.webhookIds().stream()
                .map(id -> webhooks.get(caller.tenant(), id))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id).reversed())
                .toList();
        int from = 0;
        if (cursor != null) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(cursor)) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                throw new InvalidCursorException("cursor is not from this list");
            }
        }
        List<Webhook> items = all.subList(from, Math.min(all.size(), from + limit));
        String next = from + limit < all.size() ? items.get(items.size() - 1).id() : null;
        return new Page<>(items, next);
    }
}
