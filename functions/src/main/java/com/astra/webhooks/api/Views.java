package com.astra.webhooks.api;

import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.model.DeliveryStats;
import com.astra.webhooks.dispatch.OrderingHeaders;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.webhook.SigningKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The JSON shapes of DESIGN.md, built from the model. */
final class Views {
    private Views() {}

    static Map<String, Object> webhook(Webhook w, boolean withSecret) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", w.id());
        v.put("url", w.url());
        v.put("events", w.events());
        v.put("description", w.description());
        v.put("enabled", w.enabled());
        v.put("disabledReason", w.disabledReason());
        v.put("headers", w.headers());
        v.put("rateLimit", w.rateLimit());
        v.put("signing", w.signing().mode().wire());
        v.put("publicKey", w.signing().publicKey());
        v.put("filter", w.filter() == null ? null : w.filter().document());
        v.put("retrySchedule", w.retrySchedule() == null ? null : w.retrySchedule().toString());
        v.put("createdAt", Timestamps.format(w.createdAt()));
        v.put("updatedAt", Timestamps.format(w.updatedAt()));
        if (withSecret) {
            v.put("secret", w.secret());
        }
        return v;
    }

    static Map<String, Object> signingKey(SigningKeys.Key k) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kind", k.kind());
        v.put("publicKey", k.publicKey());
        v.put("validFrom", Timestamps.format(k.validFrom()));
        v.put("validUntil", k.validUntil() == null ? null : Timestamps.format(k.validUntil()));
        return v;
    }

    static Map<String, Object> dispatch(Dispatch d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("webhookId", d.webhookId());
        v.put("eventId", d.eventId());
        v.put("eventType", d.eventType());
        v.put("url", d.url());
        v.put("attempt", d.attempt());
        v.put("outcome", d.outcome().wire());
        v.put("statusCode", d.statusCode());
        v.put("responseBody", d.responseBody());
        v.put("latencyMs", d.latencyMs());
        v.put("error", d.error());
        v.put("payload", d.payload());
        v.put("requestHeaders", d.requestHeaders());
        v.put("createdAt", Timestamps.format(d.createdAt()));
        v.put("nextAttemptAt", Timestamps.format(d.nextAttemptAt()));
        v.put("trigger", d.trigger().wire());
        // an ordered delivery's key and number are the headers its attempts send
        v.put("orderingKey", OrderingHeaders.orderingKey(d.requestHeaders()));
        v.put("sequence", OrderingHeaders.sequence(d.requestHeaders()));
        return v;
    }

    static Map<String, Object> stats(DeliveryStats s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("since", Timestamps.format(s.since()));
        v.put("until", Timestamps.format(s.until()));
        v.put("delivered", s.delivered());
        v.put("failed", s.failed());
        v.put("intercepted", s.intercepted());
        v.put("pending", s.pending());
        v.put("successRate", s.successRate());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", s.p50());
        latency.put("p95", s.p95());
        latency.put("p99", s.p99());
        v.put("latencyMs", latency);
        v.put("lastDeliveredAt", Timestamps.format(s.lastDeliveredAt()));
        v.put("lastFailedAt", Timestamps.format(s.lastFailedAt()));
        if (s.sampled()) {
            v.put("sampled", true);
        }
        if (s.series() != null) {
            v.put("series", s.series().stream().map(b -> {
                Map<String, Object> bucket = new LinkedHashMap<>();
                bucket.put("start", Timestamps.format(b.start()));
                bucket.put("delivered", b.delivered());
                bucket.put("failed", b.failed());
                bucket.put("intercepted", b.intercepted());
                bucket.put("p50", b.p50());
                bucket.put("p95", b.p95());
                return bucket;
            }).toList());
        }
        return v;
    }

    static <T> Map<String, Object> list(Page<T> page, Function<T, Map<String, Object>> view) {
        Map<String, Object> v = new LinkedHashMap<>();
        List<Map<String, Object>> data = page.items().stream().map(view).toList();
        v.put("data", data);
        v.put("nextCursor", page.nextCursor());
        return v;
    }
}
