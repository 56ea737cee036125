package com.astra.webhooks.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The test kit's webhook receiver: a real HTTP server on loopback, shared by the unit tests of the
 * functions module and the integration tests and benchmarks of the infra module (test-jar).
 *
 * <p>What it answers, per request, in this order: the next scripted answer for the path
 * ({@link #script}), else the path's responder ({@link #respond}), else the receiver-wide one
 * ({@link #otherwise}), else 200 "ok". An answer is a status, headers and a body, given after an
 * optional delay or once a future completes ({@link Answer#heldUntil}) or never ({@link
 * Answer#hang}: until {@link #close()}). Every request is recorded with its headers, body and
 * arrival time, and the receiver counts how many were in flight at once.
 *
 * <p>For what a real HTTP server will not do (never accept, drip bytes, reset a connection), see
 * {@link FaultServer}.
 */
public final class Receiver implements AutoCloseable {

    /** Stands for "never": {@link #close()} is what ends a hanging answer. */
    private static final CompletableFuture<Void> NEVER = new CompletableFuture<>();

    /**
     * What the receiver answers: a status after an optional delay, with a body and headers; with a
     * {@code release}, only once that completes (a test holds the answer while it acts) or the
     * receiver closes.
     */
    public record Answer(int status, Duration delay, String body, CompletableFuture<?> release, Map<String, String> headers) {
        public Answer(int status, Duration delay, String body, CompletableFuture<?> release) {
            this(status, delay, body, release, Map.of());
        }

        public Answer(int status, Duration delay, String body) {
            this(status, delay, body, null);
        }

        /** A status with a {@code Retry-After} header, e.g. {@code retryAfter(429, "3")}. */
        public static Answer retryAfter(int status, String value) {
            return new Answer(status, Duration.ZERO, "retry after " + value, null, Map.of("Retry-After", value));
        }

        public static Answer heldUntil(int status, CompletableFuture<?> release) {
            return new Answer(status, Duration.ZERO, "held " + status, release);
        }

        public static Answer status(int status) {
            return new Answer(status, Duration.ZERO, "status " + status);
        }

        /** A status with exactly this body (empty: no body at all). */
        public static Answer body(int status, String body) {
            return new Answer(status, Duration.ZERO, body);
        }

        /** A status with one extra response header, e.g. {@code header(302, "Location", url)}. */
        public static Answer header(int status, String name, String value) {
            return new Answer(status, Duration.ZERO, "", null, Map.of(name, value));
        }

        public static Answer slow(int status, Duration delay) {
            return new Answer(status, delay, "slow " + status);
        }

        /** Takes the request and never answers: the connection stays open until the receiver closes. */
        public static Answer hang() {
            return new Answer(200, Duration.ZERO, "too late", NEVER);
        }

        /** A 200 whose body is {@code bytes} ASCII characters ('x'). */
        public static Answer huge(int bytes) {
            return new Answer(200, Duration.ZERO, "x".repeat(bytes));
        }
    }

    /** A request as received: headers with lower-case names, the body, and when it arrived. */
    public record Request(String path, Map<String, String> headers, String body, Instant at) {
        public String header(String name) {
            return headers.get(name);
        }

        /** The Standard Webhooks headers as Svix's {@code Webhook.verify} takes them. */
        public Map<String, List<String>> signatureHeaders() {
            Map<String, List<String>> signed = new java.util.HashMap<>();
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                signed.put(name, List.of(header(name)));
            }
            return signed;
        }
    }

    private final HttpServer server;
    private final String host;
    private final Map<String, ConcurrentLinkedQueue<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Function<Request, Answer>> responders = new ConcurrentHashMap<>();
    private volatile Function<Request, Answer> otherwise = request -> new Answer(200, Duration.ZERO, "ok");
    /** Not a CopyOnWriteArrayList: benchmarks send tens of thousands of requests. */
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Set<Request> unanswered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** A receiver on 127.0.0.1, on a free port. */
    public Receiver() {
        this(InetAddress.getLoopbackAddress(), 0);
    }

    /** A receiver on a given address and port (0: a free one), e.g. 127.0.0.2 for address checks. */
    public Receiver(InetAddress address, int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        host = address.getHostAddress();
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of a path on this receiver, e.g. {@code url("/a")}. */
    public String url(String path) {
        return "http://" + host + ":" + port() + path;
    }

    public URI uri(String path) {
        return URI.create(url(path));
    }

    /** The next requests to {@code path} get these answers, in order; after them, the responders'. */
    public Receiver script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(answers));
        return this;
    }

    /** Requests to {@code path} with no scripted answer left are answered by this function. */
    public Receiver respond(String path, Function<Request, Answer> responder) {
        responders.put(path, responder);
        return this;
    }

    /** Requests to a path with neither script nor responder get this answer (default: 200 "ok"). */
    public Receiver otherwise(Answer answer) {
        return otherwise(request -> answer);
    }

    public Receiver otherwise(Function<Request, Answer> responder) {
        otherwise = responder;
        return this;
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public List<Request> requests(String path) {
        List<Request> matching = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                matching.add(r);
            }
        }
        return matching;
    }

    /** How many requests arrived, on any path. */
    public int count() {
        return count.get();
    }

    /** Waits (polling, with a deadline) until {@code path} has had at least {@code count} requests. */
    public List<Request> await(String path, int count, Duration timeout) {
        Eventually.await(timeout, count + " request(s) to " + path, () -> requests(path).size() >= count);
        return requests(path);
    }

    /** Requests whose answer has not been sent (yet): held, slow, or cut off by the client or a crash. */
    public List<Request> unanswered() {
        return new ArrayList<>(unanswered);
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        Request request;
        try {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            request = new Request(path, headers, body, Instant.now());
            unanswered.add(request);
            requests.add(request);
            count.incrementAndGet();
            Answer answer = answerTo(request);
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis()); // the receiver is slow on purpose
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (answer.release() != null) {
                long cap = answer.release() == NEVER ? 600 : 60; // a forgotten release must not keep threads forever
                CompletableFuture.anyOf(answer.release(), closed).orTimeout(cap, TimeUnit.SECONDS).exceptionally(t -> null).join();
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            unanswered.remove(request);
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private Answer answerTo(Request request) {
        ConcurrentLinkedQueue<Answer> script = scripts.get(request.path());
        Answer scripted = script == null ? null : script.poll();
        if (scripted != null) {
            return scripted;
        }
        return responders.getOrDefault(request.path(), otherwise).apply(request);
    }

    /** Stops listening and ends every held or hanging answer. */
    @Override
    public void close() {
        closed.complete(null);
        server.stop(0);
    }
}
