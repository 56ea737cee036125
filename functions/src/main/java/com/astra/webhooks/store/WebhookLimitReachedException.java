package com.astra.webhooks.store;

/**
 * A tenant that already has {@link WebhookStore#MAX_WEBHOOKS_PER_TENANT} webhooks asked for
 * another one; nothing was written. Answered with a 409: deleting a webhook frees a slot.
 */
public final class WebhookLimitReachedException extends RuntimeException {

    private final int limit;

    public WebhookLimitReachedException(int limit) {
        super("this tenant already has the most webhooks allowed (" + limit + "); delete one before creating another");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
