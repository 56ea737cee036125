package com.astra.webhooks.dispatch;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.http.DeliveryClient;
import com.astra.webhooks.core.http.DeliveryResult;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Dispatch.Outcome;
import com.astra.webhooks.model.Webhook;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt of one event to one webhook: sign, then send, or, in test mode, only record what
 * would have been sent. Knows nothing of queues, retries or storage.
 */
public final class Sender {

    public static final String USER_AGENT = "astra-webhooks/" + Version.VALUE;

    private final DeliveryClient client;
    private final WebhookSigner signer;
    private final Clock clock;

    public Sender(DeliveryClient client, WebhookSigner signer, Clock clock) {
        this.client = client;
        this.signer = signer;
        this.clock = clock;
    }

    /** An attempt under a fresh dispatch id, created now. */
    public Dispatch attempt(Webhook webhook, String eventId, String eventType, String payload, int attempt,
            boolean intercept) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return attempt(webhook, eventId, eventType, payload, attempt, intercept, Ids.newId(Ids.DISPATCH), now);
    }

    /**
     * An attempt under the id its claim computed; {@code createdAt} is that id's time, so that
     * list order (id order) and {@code createdAt} agree.
     */
    public Dispatch attempt(Webhook webhook, String eventId, String eventType, String payload, int attempt,
            boolean intercept, String dispatchId, Instant createdAt) {
        return send(webhook, eventId, eventType, payload, attempt, intercept, dispatchId, createdAt).dispatch();
    }

    /** An attempt and the receiver's {@code Retry-After} header (null when absent), for the retry schedule. */
    public record Sent(Dispatch dispatch, String retryAfter) {}

    /** {@link #attempt(Webhook, String, String, String, int, boolean, String, Instant)}, with the receiver's Retry-After. */
    public Sent send(Webhook webhook, String eventId, String eventType, String payload, int attempt,
            boolean intercept, String dispatchId, Instant createdAt) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long timestamp = now.getEpochSecond();
        // The webhook's own headers first: the service's headers below are put after them, so
        // none of them can be overridden (validation refuses those names anyway).
        Map<String, String> headers = new LinkedHashMap<>(webhook.headers());
        headers.put("content-type", "application/json");
        headers.put("user-agent", USER_AGENT);
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signer.signatureHeader(webhook.signingSecrets(now), eventId, timestamp, payload));
        if (intercept) {
            return new Sent(dispatch(dispatchId, webhook, eventId, eventType, attempt, Outcome.INTERCEPTED, null, "", 0, null,
                    headers, createdAt), null);
        }
        DeliveryResult result = client.send(URI.create(webhook.url()), headers, payload);
        return new Sent(dispatch(dispatchId, webhook, eventId, eventType, attempt, result.success() ? Outcome.DELIVERED : Outcome.FAILED,
                result.statusCode(), result.responseBody(), result.latencyMs(),
                result.success() ? null : result.error(),
                headers, createdAt), result.retryAfter());
    }

    /**
     * The record of an event that was not sent to {@code webhook} (e.g. it is disabled): a final
     * failure under the attempt's computed id, with no status, no request and no retry.
     */
    public static Dispatch notSent(Webhook webhook, String eventId, String eventType, int attempt, String dispatchId,
            Instant createdAt, String error) {
        return dispatch(dispatchId, webhook, eventId, eventType, attempt, Outcome.FAILED, null, "", 0, error, Map.of(),
                createdAt);
    }

    private static Dispatch dispatch(String id, Webhook w, String eventId, String eventType, int attempt, Outcome outcome,
            Integer status, String responseBody, long latencyMs, String error, Map<String, String> headers, Instant at) {
        return new Dispatch(id, w.tenant(), w.id(), eventId, eventType, w.url(), attempt, outcome,
                status, responseBody == null ? "" : responseBody, latencyMs, error, headers, null, at, null,
                Dispatch.Trigger.EVENT);
    }
}
