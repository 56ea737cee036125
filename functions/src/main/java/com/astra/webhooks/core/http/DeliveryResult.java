package com.astra.webhooks.core.http;

/**
 * What one delivery attempt came to.
 *
 * @param statusCode   the receiver's HTTP status, or null when it never answered (refused,
 *                     blocked, DNS, TLS, timeout before the status line)
 * @param responseBody the first 4 KiB of the answer as text (lossy UTF-8, at most 4096 bytes
 *                     when re-encoded), "" for an empty answer, null when there was no answer
 * @param latencyMs    wall time of the HTTP exchange; 0 when no connection was attempted
 * @param error        why the attempt failed when the receiver's status alone does not say it
 *                     (e.g. {@code "timeout after 10000 ms"}, {@code "connection refused"},
 *                     {@code "redirect not followed (Location: …)"}); null for a plain HTTP
 *                     answer, success or not — a 500 is told by its status, not by an error
 * @param retryAfter   the receiver's {@code Retry-After} header as sent (see {@code RetryAfter}),
 *                     null when absent or when there was no answer
 */
public record DeliveryResult(Integer statusCode, String responseBody, long latencyMs, String error, String retryAfter) {

    public DeliveryResult(Integer statusCode, String responseBody, long latencyMs, String error) {
        this(statusCode, responseBody, latencyMs, error, null);
    }

    /** Delivered: a 2xx status and nothing went wrong while reading it (a timeout mid-body is a failure). */
    public boolean success() {
        return error == null && statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    static DeliveryResult notSent(String error) {
        return new DeliveryResult(null, null, 0, error);
    }
}
