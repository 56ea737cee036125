package com.astra.webhooks.core.http;

import com.astra.webhooks.core.urlguard.TargetGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one webhook POST and reports what happened, never throwing for anything the receiver or
 * the network does.
 *
 * <ul>
 *   <li>The target is checked by {@link TargetGuard#checkAtSendTime} first; a blocked target is
 *       never connected to ({@code "blocked: private address"}).
 *   <li>The whole attempt — connect, TLS, request, status and body — is bounded by the timeout,
 *       so a receiver that drips its body byte by byte cannot hold a dispatcher thread
 *       ({@code "timeout after <N> ms"}). The status is still recorded if it had arrived.
 *   <li>At most 4 KiB of the answer is read; then the connection is closed, so huge or endless
 *       bodies cost nothing. A 2xx with a huge body is a success.
 *   <li>Redirects are not followed: a receiver could otherwise bounce us to an internal address
 *       the guard never saw. A 3xx is a failure with {@code "redirect not followed (Location: …)"}.
 *   <li>Any other HTTP answer has {@code error == null}; its status says whether it succeeded.
 *   <li>Transport failures become short sentences: {@code "connection refused"},
 *       {@code "connection reset"}, {@code "connection closed by receiver"},
 *       {@code "tls handshake failed"}, {@code "dns lookup failed: <host>"},
 *       {@code "io error: <class>: <message>"}.
 * </ul>
 *
 * <p>Thread-safe and meant to be shared: one {@link HttpClient} (one connection pool, one
 * selector thread) serves every concurrent delivery. HTTP/1.1 is forced because receivers are
 * arbitrary servers and h2c upgrade attempts confuse some of them.
 */
public final class DeliveryClient {

    /** How much of a response is kept: the dispatch record stores the first 4 KiB. */
    public static final int MAX_RESPONSE_BYTES = 4096;

    private final Duration timeout;
    private final long timeoutMs;
    private final TargetGuard guard;
    private final String userAgent;
    private final HttpClient http;

    public DeliveryClient(Duration timeout, TargetGuard guard, String userAgent) {
        this(timeout, guard, userAgent, null);
    }

    /** @param executor runs the HTTP client's callbacks; null for the client's default pool */
    public DeliveryClient(Duration timeout, TargetGuard guard, String userAgent, Executor executor) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("delivery timeout must be positive, got " + timeout);
        }
        this.timeoutMs = timeout.toMillis();
        this.guard = Objects.requireNonNull(guard, "guard");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                // No proxy, whatever the JVM default: a proxy would connect on our behalf to
                // addresses the guard never judged.
                .proxy(HttpClient.Builder.NO_PROXY);
        if (executor != null) {
            builder.executor(executor);
        }
        this.http = builder.build();
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * POSTs {@code body} (as UTF-8 JSON) to {@code url} with {@code headers} added to the
     * Content-Type and User-Agent this client sets (a header given here replaces them).
     * Blocks the calling thread for at most about the timeout, plus the guard's DNS lookup,
     * which the JVM resolver does not let us bound (it is normally cached, and the HTTP client
     * reuses the same cached answer).
     */
    public DeliveryResult send(URI url, Map<String, String> headers, String body) {
        Optional<String> refused = guard.checkAtSendTime(url);
        if (refused.isPresent()) {
            return DeliveryResult.notSent(refused.get());
        }
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", userAgent)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            headers.forEach(builder::setHeader);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            // A URL or header the HTTP client cannot send; recorded rather than thrown so one
            // bad webhook cannot fail a whole batch.
            return DeliveryResult.notSent("invalid request: " + e.getMessage());
        }

        Attempt attempt = new Attempt();
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<CappedBodySubscriber.Kept>> exchange = http.sendAsync(request, attempt);
        try {
            HttpResponse<CappedBodySubscriber.Kept> response = exchange.get(timeoutMs, TimeUnit.MILLISECONDS);
            return answered(response, elapsedMs(start));
        } catch (TimeoutException e) {
            attempt.abandon(exchange);
            return attempt.failed(DeliveryErrors.timeout(timeoutMs), elapsedMs(start));
        } catch (ExecutionException e) {
            attempt.abandon(exchange);
            String error = DeliveryErrors.describe(e.getCause(), url.getHost(), timeoutMs);
            return attempt.failed(error, elapsedMs(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.abandon(exchange);
            return attempt.failed("interrupted", elapsedMs(start));
        }
    }

    private static DeliveryResult answered(HttpResponse<CappedBodySubscriber.Kept> response, long latencyMs) {
        int status = response.statusCode();
        String text = text(response.body());
        String error = null;
        if (status >= 300 && status < 400) {
            error = response.headers().firstValue("Location")
                    .map(location -> "redirect not followed (Location: " + printable(location) + ")")
                    .orElse("redirect not followed (no Location)");
        }
        String retryAfter = response.headers().firstValue("Retry-After").map(DeliveryClient::printable).orElse(null);
        return new DeliveryResult(status, text, latencyMs, error, retryAfter);
    }

    private static String text(CappedBodySubscriber.Kept kept) {
        return ResponseText.decode(kept.bytes(), kept.length(), kept.cutShort(), MAX_RESPONSE_BYTES);
    }

    /** A receiver-chosen header goes into our records: keep it short and on one line. */
    private static String printable(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "");
        return clean.length() <= 512 ? clean : clean.substring(0, 512) + "…";
    }

    private static long elapsedMs(long startNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * One exchange's state as the HTTP client reveals it: the status as soon as headers arrive,
     * and the body subscriber, so an abandoned attempt can still report the status and the
     * start of the body, and can stop the reading.
     */
    private static final class Attempt implements HttpResponse.BodyHandler<CappedBodySubscriber.Kept> {
        private volatile Integer status;
        private volatile CappedBodySubscriber body;

        @Override
        public HttpResponse.BodySubscriber<CappedBodySubscriber.Kept> apply(HttpResponse.ResponseInfo info) {
            status = info.statusCode();
            CappedBodySubscriber subscriber = new CappedBodySubscriber(MAX_RESPONSE_BYTES);
            body = subscriber;
            return subscriber;
        }

        /** Stops the exchange: cancelling closes the connection, aborting stops the body read. */
        void abandon(CompletableFuture<?> exchange) {
            exchange.cancel(true);
            CappedBodySubscriber subscriber = body;
            if (subscriber != null) {
                subscriber.abort();
            }
        }

        DeliveryResult failed(String error, long latencyMs) {
            CappedBodySubscriber subscriber = body;
            String text = subscriber == null ? null : text(subscriber.soFar());
            return new DeliveryResult(status, text, latencyMs, error);
        }
    }
}
