package com.astra.webhooks.model;

import java.time.Instant;
import java.util.Map;

/**
 * One HTTP attempt (or interception) of one event to one webhook. The payload is stored once
 * per event, not here; readers join it back in ({@link #withPayload}).
 */
public record Dispatch(
        String id,
        String tenant,
        String webhookId,
        String eventId,
        String eventType,
        String url,
        int attempt,
        Outcome outcome,
        Integer statusCode,
        String responseBody,
        long latencyMs,
        String error,
        Map<String, String> requestHeaders,
        String payload,
        Instant createdAt,
        Instant nextAttemptAt,
        Trigger trigger) {

    /** What made this attempt: an agent's event (and its retries), a test send, a resend or a recover. */
    public enum Trigger {
        EVENT, TEST, RESEND, RECOVER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Trigger fromWire(String s) {
            for (Trigger t : values()) {
                if (t.wire().equals(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown trigger " + s);
        }
    }

    public enum Outcome {
        DELIVERED, FAILED, INTERCEPTED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Outcome fromWire(String s) {
            for (Outcome o : values()) {
                if (o.wire().equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown outcome " + s);
        }
    }

    public Dispatch withPayload(String body) {
        return new Dispatch(id, tenant, webhookId, eventId, eventType, url, attempt, outcome, statusCode,
                responseBody, latencyMs, error, requestHeaders, body, createdAt, nextAttemptAt, trigger);
    }

    public Dispatch withTrigger(Trigger t) {
        return new Dispatch(id, tenant, webhookId, eventId, eventType, url, attempt, outcome, statusCode,
                responseBody, latencyMs, error, requestHeaders, payload, createdAt, nextAttemptAt, t);
    }
}
