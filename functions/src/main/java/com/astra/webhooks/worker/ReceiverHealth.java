package com.astra.webhooks.worker;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a webhook's receiver is recently slow: its last attempt timed out or took at least
 * {@code slowAfter}. The mark lives on the webhook's item ({@code slowSince}), which every batch
 * reads for fan-out anyway, so all workers route by it at no extra read; it is written only when
 * it changes (found slow, then answering in time again), so a healthy webhook costs no write.
 *
 * <p>This container also remembers what it saw itself for {@link #FRESH}: a receiver found slow a
 * moment ago is slow for the next batch even if that batch read the webhook before the mark landed.
 */
final class ReceiverHealth {

    /** How long this container trusts its own last look over the mark the batch read. */
    static final Duration FRESH = Duration.ofSeconds(5);

    private record Seen(boolean slow, long atMillis) {}

    private final WebhookStore webhooks;
    private final Duration slowAfter;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    ReceiverHealth(WebhookStore webhooks, Duration slowAfter, Clock clock) {
        this.webhooks = webhooks;
        this.slowAfter = slowAfter;
        this.clock = clock;
    }

    Duration slowAfter() {
        return slowAfter;
    }

    /** Recently slow, by this container's fresh look or else by the mark on the webhook as read. */
    boolean isSlow(Webhook webhook) {
        Seen s = fresh(key(webhook.tenant(), webhook.id()));
        return s != null ? s.slow() : webhook.slowSince() != null;
    }

    /** Found slow by this container a moment ago (a retry it schedules now goes to the slow lane). */
    boolean justFoundSlow(String tenant, String webhookId) {
        Seen s = fresh(key(tenant, webhookId));
        return s != null && s.slow();
    }

    /** An attempt was recorded: a slow one marks the webhook, one in time clears its mark. */
    void attempted(Webhook webhook, Dispatch dispatch) {
        if (dispatch.outcome() == Dispatch.Outcome.INTERCEPTED) {
            return; // nothing was sent: says nothing about the receiver
        }
        boolean timedOut = dispatch.error() != null && dispatch.error().startsWith("timeout");
        if (timedOut || dispatch.latencyMs() >= slowAfter.toMillis()) {
            slow(webhook);
        } else {
            inTime(webhook);
        }
    }

    /** The receiver took too long (an attempt timed out, ran past the threshold, or was handed over). */
    void slow(Webhook webhook) {
        String key = key(webhook.tenant(), webhook.id());
        Seen before = fresh(key);
        seen.put(key, new Seen(true, clock.millis()));
        if (webhook.slowSince() == null && (before == null || !before.slow())) {
            webhooks.markSlow(webhook.tenant(), webhook.id(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        }
    }

    private void inTime(Webhook webhook) {
        String key = key(webhook.tenant(), webhook.id());
        Seen before = seen.get(key);
        if (webhook.slowSince() == null && (before == null || !before.slow())) {
            return; // the healthy path: nothing to remember, nothing to write
        }
        seen.put(key, new Seen(false, clock.millis()));
        webhooks.clearSlow(webhook.tenant(), webhook.id());
    }

    private Seen fresh(String key) {
        Seen s = seen.get(key);
        return s != null && clock.millis() - s.atMillis() < FRESH.toMillis() ? s : null;
    }

    private static String key(String tenant, String webhookId) {
        return tenant + "#" + webhookId;
    }
}
