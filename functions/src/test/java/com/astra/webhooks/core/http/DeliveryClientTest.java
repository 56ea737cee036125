package com.astra.webhooks.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.urlguard.HostResolver;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.local.FaultServer;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryClientTest {

    private static final String BODY = "{\"id\":\"evt_1\",\"event\":\"agent_completed\",\"data\":{\"name\":\"Zoë\"}}";
    private static final Map<String, String> HEADERS = Map.of(
            "webhook-id", "evt_1", "webhook-timestamp", "1700000000", "webhook-signature", "v1,abc=");
    private static final long SHORT_TIMEOUT_MS = 500;
    private static final int TEN_MB = 10 * 1024 * 1024;

    private final TargetGuard localGuard = new TargetGuard(true, false);
    private final DeliveryClient client = new DeliveryClient(Duration.ofSeconds(10), localGuard, "astra-webhooks/test");
    private final DeliveryClient impatient =
            new DeliveryClient(Duration.ofMillis(SHORT_TIMEOUT_MS), localGuard, "astra-webhooks/test");

    /** Closed after each test, which also ends the answers that "never come" and their threads. */
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    /** A receiver on 127.0.0.1 giving every request this answer; closed after the test. */
    private Receiver receiver(Answer answer) {
        Receiver receiver = new Receiver().otherwise(answer);
        servers.add(receiver);
        return receiver;
    }

    private FaultServer fault(FaultServer.Handler handler) throws IOException {
        FaultServer server = new FaultServer(handler);
        servers.add(server);
        return server;
    }

    // --- ordinary answers ----------------------------------------------------------------------

    @Test
    void deliversSignedJsonAndRecordsA2xxAnswer() throws Exception {
        Receiver receiver = receiver(Answer.body(200, "{\"ok\":true}"));

        DeliveryResult result = client.send(receiver.uri("/hooks?x=1"), HEADERS, BODY);

        assertTrue(result.success(), result.toString());
        assertEquals(200, result.statusCode());
        assertEquals("{\"ok\":true}", result.responseBody());
        assertNull(result.error());
        assertTrue(result.latencyMs() >= 0);
        Receiver.Request received = receiver.requests().get(0);
        assertEquals("/hooks", received.path());
        assertEquals(BODY, received.body());
        assertEquals("application/json", received.header("content-type"));
        assertEquals("astra-webhooks/test", received.header("user-agent"));
        assertEquals("evt_1", received.header("webhook-id"));
        assertEquals("1700000000", received.header("webhook-timestamp"));
        assertEquals("v1,abc=", received.header("webhook-signature"));
    }

    @Test
    void emptyAnswerIsASuccessWithEmptyBody() throws Exception {
        Receiver receiver = receiver(Answer.body(204, ""));

        DeliveryResult result = client.send(receiver.uri("/"), HEADERS, BODY);

        assertTrue(result.success(), result.toString());
        assertEquals(204, result.statusCode());
        assertEquals("", result.responseBody());
    }

    @Test
    void serverErrorIsAFailureToldByItsStatusAlone() throws Exception {
        Receiver receiver = receiver(Answer.body(500, "boom"));

        DeliveryResult result = client.send(receiver.uri("/"), HEADERS, BODY);

        assertFalse(result.success());
        assertEquals(500, result.statusCode());
        assertEquals("boom", result.responseBody());
        assertNull(result.error(), "an HTTP answer carries no error; the status tells");
    }

    @Test
    void goneAndClientErrorsAreFailures() throws Exception {
        assertEquals(410, client.send(receiver(Answer.body(410, "")).uri("/"), HEADERS, BODY).statusCode());
        assertFalse(client.send(receiver(Answer.body(404, "no")).uri("/"), HEADERS, BODY).success());
    }

    // --- redirects -----------------------------------------------------------------------------

    @Test
    void redirectIsNotFollowedAndIsAFailure() throws Exception {
        Receiver target = receiver(Answer.body(200, "should never be reached"));
        String location = target.uri("/target").toString();
        Receiver redirector = receiver(Answer.header(302, "Location", location));

        DeliveryResult result = client.send(redirector.uri("/"), HEADERS, BODY);

        assertFalse(result.success());
        assertEquals(302, result.statusCode());
        assertEquals("redirect not followed (Location: " + location + ")", result.error());
        assertEquals(1, redirector.count());
        assertEquals(0, target.count(), "the redirect target must never be hit");
    }

    @Test
    void redirectLoopCostsExactlyOneRequest() throws Exception {
        Receiver loop = receiver(Answer.status(200));
        loop.otherwise(Answer.header(307, "Location", loop.url("/")));

        DeliveryResult result = client.send(loop.uri("/"), HEADERS, BODY);

        assertEquals(307, result.statusCode());
        assertTrue(result.error().startsWith("redirect not followed (Location: "), result.error());
        assertEquals(1, loop.count());
    }

    @Test
    void redirectWithoutLocationSaysSo() throws Exception {
        Receiver receiver = receiver(Answer.body(301, ""));
        assertEquals("redirect not followed (no Location)", client.send(receiver.uri("/"), HEADERS, BODY).error());
    }

    // --- timeouts ------------------------------------------------------------------------------

    @Test
    void receiverSlowerThanTheTimeoutIsATimeout() throws Exception {
        Receiver slow = receiver(Answer.hang());

        DeliveryResult result = impatient.send(slow.uri("/"), HEADERS, BODY);

        assertEquals("timeout after 500 ms", result.error());
        assertNull(result.statusCode());
        assertFalse(result.success());
        assertTrue(result.latencyMs() >= 0);
    }

    @Test
    void connectionAcceptedButNeverAnsweredIsATimeout() throws Exception {
        FaultServer silent = fault((socket, s) -> s.awaitClose());

        DeliveryResult result = impatient.send(silent.uri("/"), HEADERS, BODY);

        assertEquals("timeout after 500 ms", result.error());
        assertNull(result.statusCode());
    }

    @Test
    void bodyThatStallsAfterTheStatusIsATimeoutThatKeepsTheStatus() throws Exception {
        FaultServer dripping = fault((socket, s) -> {
            s.readRequest(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nstarted".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.awaitClose(); // and the rest never comes
        });

        DeliveryResult result = impatient.send(dripping.uri("/"), HEADERS, BODY);

        assertEquals("timeout after 500 ms", result.error());
        assertFalse(result.success(), "an attempt that did not finish within the timeout is not delivered");
        assertEquals(200, result.statusCode());
    }

    @Test
    void endlessSlowDripIsCutOffByTheTimeout() throws Exception {
        CompletableFuture<Throwable> serverSawHangUp = new CompletableFuture<>();
        FaultServer dripping = fault((socket, s) -> {
            s.readRequest(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                // One byte per chunk, paced by the client's reading: runs until the client hangs up.
                while (true) {
                    out.write("1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(50); // the drip itself, not synchronisation
                }
            } catch (IOException e) {
                serverSawHangUp.complete(e);
            }
        });

        DeliveryResult result = impatient.send(dripping.uri("/"), HEADERS, BODY);

        assertEquals("timeout after 500 ms", result.error());
        assertEquals(200, result.statusCode());
        assertNotNull(serverSawHangUp.get(30, TimeUnit.SECONDS), "the client must close the connection");
    }

    // --- huge and endless bodies ---------------------------------------------------------------

    @Test
    void hugeBodyIsCutAt4KiBWithoutReadingItAll() throws Exception {
        AtomicLong written = new AtomicLong();
        CompletableFuture<Long> serverDone = new CompletableFuture<>();
        FaultServer huge = fault((socket, s) -> {
            socket.setSendBufferSize(8 * 1024);
            s.readRequest(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + TEN_MB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                while (written.get() < TEN_MB) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
                out.flush();
            } catch (IOException clientHungUp) {
                // expected: the client closed after 4 KiB
            }
            serverDone.complete(written.get());
        });

        DeliveryResult result = client.send(huge.uri("/"), HEADERS, BODY);

        assertTrue(result.success(), "a 200 with a huge body is delivered: " + result.error());
        assertEquals(200, result.statusCode());
        assertEquals("x".repeat(4096), result.responseBody());
        long bytesWritten = serverDone.get(30, TimeUnit.SECONDS);
        assertTrue(bytesWritten < TEN_MB, "client read the whole body: " + bytesWritten);
    }

    @Test
    void endlessBodyIsCutAt4KiBAndTheConnectionClosed() throws Exception {
        CompletableFuture<Throwable> serverSawHangUp = new CompletableFuture<>();
        FaultServer endless = fault((socket, s) -> {
            s.readRequest(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("400\r\n" + "y".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                serverSawHangUp.complete(e);
            }
        });

        DeliveryResult result = client.send(endless.uri("/"), HEADERS, BODY);

        assertTrue(result.success(), String.valueOf(result.error()));
        assertEquals("y".repeat(4096), result.responseBody());
        assertNotNull(serverSawHangUp.get(30, TimeUnit.SECONDS));
    }

    @Test
    void largeAnswerFromAnOrdinaryServerIsKeptTo4KiB() {
        Receiver large = receiver(Answer.huge(1024 * 1024));

        DeliveryResult result = client.send(large.uri("/"), HEADERS, BODY);

        assertTrue(result.success(), String.valueOf(result.error()));
        assertEquals("x".repeat(4096), result.responseBody());
    }

    @Test
    void truncatedBodyNeverEndsInHalfACharacter() throws Exception {
        Receiver euros = receiver(Answer.body(200, "€".repeat(2000))); // 3 bytes each: 4096 falls mid-character

        DeliveryResult result = client.send(euros.uri("/"), HEADERS, BODY);

        assertEquals("€".repeat(1365), result.responseBody());
        assertTrue(result.responseBody().getBytes(StandardCharsets.UTF_8).length <= 4096);
    }

    // --- transport failures --------------------------------------------------------------------

    @Test
    void connectionResetMidResponseIsReported() throws Exception {
        FaultServer resetter = fault((socket, s) -> {
            s.readRequest(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoLinger(true, 0); // close with RST instead of FIN
            socket.close();
        });

        DeliveryResult result = client.send(resetter.uri("/"), HEADERS, BODY);

        assertFalse(result.success());
        assertEquals("connection reset", result.error());
    }

    @Test
    void hangingUpBeforeAnsweringIsReported() throws Exception {
        FaultServer rude = fault((socket, s) -> {
            s.readRequest(socket.getInputStream());
            socket.close();
        });

        DeliveryResult result = client.send(rude.uri("/"), HEADERS, BODY);

        assertEquals("connection closed by receiver", result.error());
        assertNull(result.statusCode());
    }

    @Test
    void httpsToAPlainHttpPortIsATlsFailure() throws Exception {
        FaultServer plain = fault((socket, s) -> {
            socket.getInputStream().read(new byte[512]); // whatever the ClientHello says
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.close();
        });

        DeliveryResult result = client.send(plain.uri("https", "/"), HEADERS, BODY);

        assertEquals("tls handshake failed", result.error());
        assertNull(result.statusCode());
    }

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        DeliveryResult result = client.send(URI.create("http://127.0.0.1:" + port + "/"), HEADERS, BODY);

        assertEquals("connection refused", result.error());
        assertNull(result.statusCode());
        assertNull(result.responseBody());
    }

    @Test
    void unresolvableNameIsADnsFailure() {
        HostResolver nothingResolves = host -> {
            throw new UnknownHostException(host);
        };
        DeliveryClient withoutDns = new DeliveryClient(Duration.ofSeconds(5), new TargetGuard(true, false, nothingResolves),
                "astra-webhooks/test");

        DeliveryResult result = withoutDns.send(URI.create("https://nowhere.invalid/hook"), HEADERS, BODY);

        assertEquals("dns lookup failed: nowhere.invalid", result.error());
        assertNull(result.statusCode());
    }

    @Test
    void privateTargetIsBlockedWithoutConnecting() throws Exception {
        Receiver receiver = receiver(Answer.body(200, "ok"));
        DeliveryClient onAws = new DeliveryClient(Duration.ofSeconds(5), new TargetGuard(false, false), "astra-webhooks/test");

        DeliveryResult result = onAws.send(receiver.uri("/"), HEADERS, BODY);

        assertEquals("blocked: private address", result.error());
        assertNull(result.statusCode());
        assertEquals(0, result.latencyMs());
        assertEquals(0, receiver.count(), "a blocked target must never be contacted");
    }

    @Test
    void nameThatResolvesToLoopbackIsBlocked() throws Exception {
        Receiver receiver = receiver(Answer.body(200, "ok"));
        HostResolver rebound = host -> new InetAddress[] {InetAddress.getLoopbackAddress()};
        DeliveryClient onAws = new DeliveryClient(Duration.ofSeconds(5), new TargetGuard(false, false, rebound),
                "astra-webhooks/test");
        URI url = URI.create("http://innocent.example.com:" + receiver.port() + "/");

        assertEquals("blocked: private address", onAws.send(url, HEADERS, BODY).error());
        assertEquals(0, receiver.count());
    }

    @Test
    void unsendableHeaderIsRecordedNotThrown() throws Exception {
        Receiver receiver = receiver(Answer.body(200, "ok"));

        DeliveryResult result = client.send(receiver.uri("/"), Map.of("Content-Length", "1"), BODY);

        assertTrue(result.error().startsWith("invalid request: "), result.error());
        assertEquals(0, receiver.count());
    }

    // --- sharing ---------------------------------------------------------------------------------

    @Test
    void oneClientServesManyThreadsAtOnce() throws Exception {
        Receiver receiver = receiver(Answer.body(200, "ok"));
        ExecutorService dispatchers = Executors.newFixedThreadPool(16);
        try {
            List<Future<DeliveryResult>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(dispatchers.submit(() -> client.send(receiver.uri("/"), HEADERS, BODY)));
            }
            for (Future<DeliveryResult> f : results) {
                DeliveryResult r = f.get(30, TimeUnit.SECONDS);
                assertTrue(r.success(), String.valueOf(r.error()));
            }
            assertEquals(64, receiver.count());
        } finally {
            dispatchers.shutdownNow();
        }
    }

    @Test
    void refusesANonPositiveTimeout() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DeliveryClient(Duration.ZERO, localGuard, "ua"));
    }
}
