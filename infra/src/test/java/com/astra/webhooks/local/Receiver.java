package com.astra.webhooks.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on loopback for integration tests. Each path answers from a script
 * of responses (then 200 "ok"), records every request it gets, and counts how many requests
 * were in flight at once.
 */
public final class Receiver implements AutoCloseable {

    /**
     * What the receiver answers: a status after an optional delay, with a body; with a
     * {@code release}, only once that completes (a test holds the answer while it acts).
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

        public static Answer slow(int status, Duration delay) {
            return new Answer(status, delay, "slow " + status);
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
    private final Map<String, ConcurrentLinkedQueue<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Function<Request, Answer>> rules = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The URL of a path on this receiver, e.g. {@code url("/a")}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to {@code path} get these answers, in order; after them, 200. */
    public Receiver script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(answers));
        return this;
    }

    /**
     * Requests to {@code path} are answered by {@code rule} (e.g. by the event they carry) when it
     * gives an answer, before any script; null from it falls through.
     */
    public Receiver rule(String path, java.util.function.Function<Request, Answer> rule) {
        rules.put(path, rule);
        return this;
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

    /** Waits (polling, with a deadline) until {@code path} has had at least {@code count} requests. */
    public List<Request> await(String path, int count, Duration timeout) {
        Eventually.await(timeout, count + " request(s) to " + path, () -> requests(path).size() >= count);
        return requests(path);
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            Request request = new Request(path, headers, body, Instant.now());
            requests.add(request);
            var rule = rules.get(path);
            Answer answer = rule == null ? null : rule.apply(request);
            ConcurrentLinkedQueue<Answer> script = answer != null ? null : scripts.get(path);
            answer = script == null ? answer : script.poll();
            if (answer == null) {
                answer = new Answer(200, Duration.ZERO, "ok");
            }
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis()); // the receiver is slow on purpose
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (answer.release() != null) {
                answer.release().orTimeout(60, TimeUnit.SECONDS).exceptionally(t -> null).join();
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
