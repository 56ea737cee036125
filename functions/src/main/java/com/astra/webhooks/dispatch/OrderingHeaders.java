package com.astra.webhooks.dispatch;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.OrderingKey;
import com.astra.webhooks.model.Webhook;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two headers of an ordered delivery. They travel as headers of the webhook the attempt is
 * made with, so every attempt records them with its request and a resend or recover of it can
 * repeat them; the service's own {@code webhook-} names are refused as custom headers, so no
 * tenant header can collide with them.
 */
public final class OrderingHeaders {
    private OrderingHeaders() {}

    public static final String KEY = OrderingKey.HEADER;
    public static final String SEQUENCE = "webhook-sequence";

    /** {@code webhook} sending these headers besides its own. */
    public static Webhook on(Webhook webhook, String orderingKey, long sequence) {
        Map<String, String> headers = new LinkedHashMap<>(webhook.headers());
        headers.put(KEY, orderingKey);
        headers.put(SEQUENCE, Long.toString(sequence));
        return with(webhook, headers);
    }

    /** {@code webhook} repeating the ordering headers an earlier attempt sent, if it sent any. */
    public static Webhook repeated(Webhook webhook, Map<String, String> sentHeaders) {
        String key = orderingKey(sentHeaders);
        Long sequence = sequence(sentHeaders);
        return key == null || sequence == null ? webhook : on(webhook, key, sequence);
    }

    /** The ordering key an attempt sent, or null for an unordered delivery. */
    public static String orderingKey(Map<String, String> sentHeaders) {
        return sentHeaders == null ? null : sentHeaders.get(KEY);
    }

    public static Long sequence(Map<String, String> sentHeaders) {
        String s = sentHeaders == null ? null : sentHeaders.get(SEQUENCE);
        try {
            return s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A record of an ordered delivery that sent no request (not sent), keeping its key and number. */
    public static Dispatch onRecord(Dispatch d, String orderingKey, long sequence) {
        Map<String, String> headers = new LinkedHashMap<>(d.requestHeaders());
        headers.put(KEY, orderingKey);
        headers.put(SEQUENCE, Long.toString(sequence));
        return new Dispatch(d.id(), d.tenant(), d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(),
                d.outcome(), d.statusCode(), d.responseBody(), d.latencyMs(), d.error(), headers, d.payload(),
                d.createdAt(), d.nextAttemptAt(), d.trigger());
    }

    private static Webhook with(Webhook w, Map<String, String> headers) {
        return new Webhook(w.id(), w.tenant(), w.url(), w.events(), w.description(), w.enabled(), w.createdAt(),
                w.updatedAt(), w.secret(), w.disabledReason(), headers, w.rateLimit(), w.previousSecret(),
                w.previousSecretExpiresAt(), w.failingSince(), w.signing(), w.filter(), w.retrySchedule(), w.slowSince());
    }
}
