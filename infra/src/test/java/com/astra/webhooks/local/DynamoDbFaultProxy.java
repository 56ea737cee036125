package com.astra.webhooks.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on 127.0.0.1 in front of a DynamoDB endpoint (dynoxide) that answers some calls
 * the way DynamoDB and its network fail: throttling and 500s as DynamoDB's JSON protocol sends
 * them, a reset connection, a slow answer, and the ambiguous case where the call was forwarded
 * and applied but its answer is lost (a 500 or a reset after the fact). Rules name an operation
 * (the {@code X-Amz-Target} suffix, e.g. {@code PutItem}; {@code *} for every one), a fault and
 * the share of calls it hits; the dice come from one seeded {@link Random}, so a run with the same
 * seed and the same sequence of calls faults the same calls.
 *
 * <p>Point a client at {@link #endpoint()}. The SDK's retries come back through the proxy and
 * may be faulted again, as against the real service.
 */
final class DynamoDbFaultProxy implements AutoCloseable {

    /** What a faulted call gets. */
    enum Fault {
        /** 400 ProvisionedThroughputExceededException, not applied. */
        THROTTLE,
        /** 400 ThrottlingException (the control-plane and on-demand spelling), not applied. */
        THROTTLING_EXCEPTION,
        /** 500 InternalServerError, not applied. */
        SERVER_ERROR,
        /** The connection reset before any answer, not applied. */
        RESET,
        /** Forwarded and applied, then answered 500: the caller cannot tell it was applied. */
        APPLIED_THEN_500,
        /** Forwarded and applied, then the connection reset. */
        APPLIED_THEN_RESET,
        /** Answered {@link #latencyMillis} late (applied). */
        LATENCY
    }

    /** A fault for one operation (or {@code *}) at a rate from 0 to 1. */
    record Rule(String operation, Fault fault, double rate) {
        boolean matches(String op) {
            return "*".equals(operation) || operation.equals(op);
        }
    }

    /** Operations that change data: only these have an applied-then-failed outcome worth faulting. */
    static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems", "BatchExecuteStatement");

    private final ServerSocket server;
    private final URI target;
    private final Random random;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Fault>> scheduled = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Map<String, Map<Fault, AtomicLong>> injected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    volatile long latencyMillis = 2000;
    private volatile Fault[] outage;

    /**
     * @param target the real endpoint, e.g. dynoxide's {@code http://127.0.0.1:port}
     * @param seed   the dice's seed
     */
    DynamoDbFaultProxy(String target, long seed) throws IOException {
        this.target = URI.create(target);
        this.random = new Random(seed);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        Thread acceptor = new Thread(this::accept, "dynamodb-fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Adds a rule; rules are tried in order and the first whose dice hit decides. */
    DynamoDbFaultProxy rule(String operation, Fault fault, double rate) {
        rules.add(new Rule(operation, fault, rate));
        return this;
    }

    /** Spreads {@code rate} evenly over {@code faults} for every operation in {@code operations}. */
    DynamoDbFaultProxy mix(Set<String> operations, double rate, Fault... faults) {
        for (String op : operations) {
            for (Fault f : faults) {
                rule(op, f, rate / faults.length);
            }
        }
        return this;
    }

    /** The next call of {@code operation} gets {@code fault}, whatever the rules say; later calls are left to them. */
    DynamoDbFaultProxy next(String operation, Fault fault) {
        scheduled.computeIfAbsent(operation, k -> new ConcurrentLinkedQueue<>()).add(fault);
        return this;
    }

    /** Every call from now on gets one of {@code faults}, picked by the dice, until {@link #heal()}. */
    void outage(Fault... faults) {
        outage = faults.clone();
    }

    /** Removes every rule and ends an outage: from now on every call is forwarded untouched. */
    void heal() {
        outage = null;
        rules.clear();
    }

    /** How many calls of each operation came in (faulted or not, retries included). */
    Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((op, n) -> out.put(op, n.get()));
        return out;
    }

    /** How many faults of each kind each operation got. */
    Map<String, Map<Fault, Long>> injected() {
        Map<String, Map<Fault, Long>> out = new TreeMap<>();
        injected.forEach((op, byFault) -> {
            Map<Fault, Long> counts = new EnumMap<>(Fault.class);
            byFault.forEach((f, n) -> counts.put(f, n.get()));
            out.put(op, counts);
        });
        return out;
    }

    long injected(Fault fault) {
        return injected.values().stream().mapToLong(m -> m.containsKey(fault) ? m.get(fault).get() : 0).sum();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread worker = new Thread(() -> serve(socket), "dynamodb-fault-proxy");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One keep-alive connection: request after request until the client closes or a fault resets it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = Request.read(in);
                if (request == null) {
                    return;
                }
                String op = request.operation();
                calls.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
                Fault fault = roll(op);
                if (fault != null) {
                    injected.computeIfAbsent(op, k -> new ConcurrentHashMap<>())
                            .computeIfAbsent(fault, k -> new AtomicLong()).incrementAndGet();
                }
                if (fault == Fault.RESET) {
                    reset(socket);
                    return;
                }
                if (fault == Fault.THROTTLE) {
                    respond(out, 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                            + "\"message\":\"The level of configured provisioned throughput for the table was exceeded."
                            + " Consider increasing your provisioning level with the UpdateTable API.\"}");
                    continue;
                }
                if (fault == Fault.THROTTLING_EXCEPTION) {
                    respond(out, 400, "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\","
                            + "\"message\":\"Rate of requests exceeds the allowed throughput.\"}");
                    continue;
                }
                if (fault == Fault.SERVER_ERROR) {
                    respond(out, 500, serverError());
                    continue;
                }
                if (fault == Fault.LATENCY) {
                    Thread.sleep(latencyMillis);
                }
                Forwarded answer = forward(request);
                if (fault == Fault.APPLIED_THEN_RESET) {
                    reset(socket);
                    return;
                }
                if (fault == Fault.APPLIED_THEN_500) {
                    respond(out, 500, serverError());
                    continue;
                }
                respond(out, answer.status, answer.headers, answer.body);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the proxy closes
        } finally {
            sockets.remove(socket);
        }
    }

    private Fault roll(String op) {
        Queue<Fault> once = scheduled.get(op);
        Fault next = once == null ? null : once.poll();
        if (next != null) {
            return next;
        }
        synchronized (random) {
            Fault[] down = outage;
            if (down != null) {
                return down[random.nextInt(down.length)];
            }
            for (Rule rule : rules) {
                if (rule.matches(op)) {
                    double dice = random.nextDouble();
                    if (dice < rule.rate()) {
                        return rule.fault();
                    }
                }
            }
            return null;
        }
    }

    private static String serverError() {
        return "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"Internal server error\"}";
    }

    /** An RST instead of a FIN: the client reads "Connection reset". */
    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private record Forwarded(int status, Map<String, String> headers, byte[] body) {}

    private Forwarded forward(Request request) throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.resolve(request.path).toURL().openConnection();
        c.setRequestMethod(request.method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        request.headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("host") && !lower.equals("content-length") && !lower.equals("connection")
                    && !lower.equals("expect")) {
                c.setRequestProperty(name, value);
            }
        });
        if (request.body.length > 0) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(request.body.length);
            c.getOutputStream().write(request.body);
        }
        int status = c.getResponseCode();
        InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
        byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        c.getHeaderFields().forEach((name, values) -> {
            if (name != null && !values.isEmpty()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("x-amz") || lower.equals("content-type")) {
                    headers.put(name, values.get(0));
                }
            }
        });
        return new Forwarded(status, headers, bytes);
    }

    private static void respond(OutputStream out, int status, String json) throws IOException {
        respond(out, status, Map.of("Content-Type", "application/x-amz-json-1.0",
                "x-amzn-RequestId", "fault-" + System.nanoTime()), json.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(OutputStream out, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
                .append(status == 200 ? "OK" : status == 400 ? "Bad Request" : "Internal Server Error").append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** One HTTP/1.1 request with a Content-Length body (what the SDK sends DynamoDB). */
    private record Request(String method, String path, Map<String, String> headers, byte[] body) {

        String operation() {
            String t = headers.getOrDefault("x-amz-target", "");
            return t.substring(t.indexOf('.') + 1);
        }

        static Request read(InputStream in) throws IOException {
            String head = FaultServer.readHead(in);
            if (head == null) {
                return null; // the client closed the connection between requests
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new Request(requestLine[0], requestLine[1], headers, in.readNBytes(length));
        }
    }

    /** Counts as one line, for a test's report. */
    String report() {
        List<String> parts = new ArrayList<>();
        injected().forEach((op, byFault) -> parts.add(op + " " + calls.getOrDefault(op, new AtomicLong()).get()
                + " calls " + byFault));
        return String.join("; ", parts);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
