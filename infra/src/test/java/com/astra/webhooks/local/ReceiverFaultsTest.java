package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.data;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Misbehaving receivers, end to end: an event goes onto the runner's SQS queue, the real
 * dispatcher sends it to a loopback server that misbehaves, and the dispatch records read back
 * through {@code GET /webhooks/{id}/deliveries} must say what went wrong, schedule the next
 * attempt, and that attempt must come. The delivery timeout is 2 s and every retry delay 1 s
 * (AstraLocalExtension.TEST_SETTINGS).
 */
@ExtendWith(AstraLocalExtension.class)
class ReceiverFaultsTest {

    private static final long TEN_MB = 10L * 1024 * 1024;
    private static final long ONE_MB = 1024 * 1024;
    private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(30);
    private static final Duration NEXT_ATTEMPT = Duration.ofSeconds(30);

    private final Http http = AstraLocalExtension.http();
    private final String tenant = "t-" + UUID.randomUUID();
    private final String token = AstraLocalExtension.token(tenant);
    private final List<String> webhooks = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : webhooks) {
            http.delete("/webhooks/" + id, token); // drops the retries still pending for it
        }
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    // --- timeouts ------------------------------------------------------------------------------

    @Test
    void receiverSlowerThanTheTimeoutIsATimeoutRetriedUntilItAnswersInTime() {
        Receiver slow = track(new Receiver());
        slow.script("/slow", Receiver.Answer.slow(200, Duration.ofSeconds(3)),
                Receiver.Answer.slow(200, Duration.ofSeconds(3))); // then 200 at once
        String webhook = createWebhook(slow.url("/slow"));
        String eventId = push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "timeout after 2000 ms");
        assertNull(first.get("statusCode"), "no status line arrived within the timeout");
        assertEquals(eventId, first.get("eventId"));
        assertFailedWith(awaitAttempt(webhook, 2, NEXT_ATTEMPT), "timeout after 2000 ms");

        Map<String, Object> third = awaitAttempt(webhook, 3, NEXT_ATTEMPT);
        assertEquals("delivered", third.get("outcome"), third.toString());
        assertNull(third.get("error"));
        assertNull(third.get("nextAttemptAt"), "nothing left to retry after a success");
        assertEquals(3, slow.requests("/slow").size());
    }

    @Test
    void receiverThatAcceptsTheConnectionAndNeverAnswersTimesOut() throws Exception {
        FaultServer silent = track(new FaultServer((socket, server) -> {
            server.readRequest(socket.getInputStream());
            server.awaitClose(); // says nothing, holds the connection
        }));
        String webhook = createWebhook(silent.url("/silent"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "timeout after 2000 ms");
        assertNull(first.get("statusCode"));
        assertFailedWith(awaitAttempt(webhook, 2, NEXT_ATTEMPT), "timeout after 2000 ms");
        assertTrue(silent.requests.get() >= 2, "each attempt reached the receiver: " + silent.requests.get());
    }

    @Test
    void bodyDrippedByteByByteIsCutOffByTheTimeoutKeepingTheStatus() throws Exception {
        FaultServer drip = track(new FaultServer((socket, server) -> {
            server.readRequest(socket.getInputStream());
            server.write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            while (true) { // one byte every 100 ms, for ever, until the client hangs up
                server.write(socket, "1\r\nx\r\n");
                Thread.sleep(100); // the drip itself, not synchronisation
            }
        }));
        String webhook = createWebhook(drip.url("/drip"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "timeout after 2000 ms");
        assertEquals(200, number(first.get("statusCode")), "the status had arrived before the timeout");
        assertFailedWith(awaitAttempt(webhook, 2, NEXT_ATTEMPT), "timeout after 2000 ms");
        Eventually.await(Duration.ofSeconds(10), "the dispatcher to hang up on the drip",
                () -> drip.hangUps.get() >= 1);
    }

    // --- huge and endless bodies ---------------------------------------------------------------

    @Test
    void tenMegabyteBodyIsDeliveredKeepingOnly4KiBAndReadingFarLessThanItAll() throws Exception {
        FaultServer huge = track(new FaultServer((socket, server) -> {
            socket.setSendBufferSize(8 * 1024);
            server.readRequest(socket.getInputStream());
            server.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: " + TEN_MB + "\r\n\r\n");
            byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < TEN_MB; sent += chunk.length) {
                server.write(socket, chunk);
            }
        }));
        String webhook = createWebhook(huge.url("/huge"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertEquals("delivered", first.get("outcome"), "a 2xx with a huge body is a success: " + first);
        assertEquals(200, number(first.get("statusCode")));
        assertNull(first.get("error"));
        assertNull(first.get("nextAttemptAt"));
        String body = (String) first.get("responseBody");
        assertTrue(body.getBytes(StandardCharsets.UTF_8).length <= 4096, "kept " + body.length() + " chars");
        assertTrue(body.startsWith("xxxx") && body.length() >= 1024, "the start of the body is kept");

        Eventually.await(Duration.ofSeconds(20), "the dispatcher to hang up on the 10 MB body",
                () -> huge.hangUps.get() >= 1);
        long written = huge.bytesWritten.get();
        System.out.println("[receiver-faults] 10 MB body: " + written + " bytes written before the dispatcher hung up");
        assertTrue(written < ONE_MB, "the dispatcher read (or let the kernel buffer) " + written + " bytes");
        assertEquals(1, huge.requests.get(), "a delivered event is not sent again");
    }

    @Test
    void endlessBodyIsDeliveredKeepingOnly4KiBAndTheConnectionIsClosed() throws Exception {
        FaultServer endless = track(new FaultServer((socket, server) -> {
            socket.setSendBufferSize(8 * 1024);
            server.readRequest(socket.getInputStream());
            server.write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("400\r\n" + "y".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (true) {
                server.write(socket, chunk);
            }
        }));
        String webhook = createWebhook(endless.url("/endless"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertEquals("delivered", first.get("outcome"), first.toString());
        assertEquals(200, number(first.get("statusCode")));
        assertEquals("y".repeat(4096), first.get("responseBody"));
        Eventually.await(Duration.ofSeconds(20), "the dispatcher to hang up on the endless body",
                () -> endless.hangUps.get() >= 1);
        long written = endless.bytesWritten.get();
        System.out.println("[receiver-faults] endless body: " + written + " bytes written before the dispatcher hung up");
        assertTrue(written < ONE_MB, "the dispatcher read (or let the kernel buffer) " + written + " bytes");
    }

    // --- redirects -----------------------------------------------------------------------------

    @Test
    void redirectIsNotFollowedAndIsRetriedAsAFailure() throws Exception {
        Receiver target = track(new Receiver());
        String location = target.url("/target");
        Receiver redirector = track(new Receiver()).otherwise(Receiver.Answer.header(302, "Location", location));
        String webhook = createWebhook(redirector.url("/moved"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "redirect not followed (Location: " + location + ")");
        assertEquals(302, number(first.get("statusCode")));
        assertFailedWith(awaitAttempt(webhook, 2, NEXT_ATTEMPT), "redirect not followed (Location: " + location + ")");
        assertEquals(List.of(), target.requests("/target"), "the redirect target is never contacted");
    }

    @Test
    void redirectLoopCostsOneRequestPerAttemptUntilTheScheduleRunsOut() throws Exception {
        Receiver loop = track(new Receiver());
        String url = loop.url("/loop");
        loop.otherwise(Receiver.Answer.header(307, "Location", url));
        String webhook = createWebhook(url);
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "redirect not followed (Location: " + url + ")");
        assertEquals(307, number(first.get("statusCode")));
        // 1 + 7 retries (RETRY_SCHEDULE 1s x7); the last one schedules nothing.
        Map<String, Object> last = awaitAttempt(webhook, 8, Duration.ofSeconds(60));
        assertEquals("failed", last.get("outcome"));
        assertEquals("redirect not followed (Location: " + url + ")", last.get("error"));
        assertNull(last.get("nextAttemptAt"), "after the last attempt nothing more is scheduled");
        assertEquals(8, attempts(webhook).size());
        assertEquals(8, loop.count(), "one request per attempt, the Location never followed");
    }

    // --- transport failures --------------------------------------------------------------------

    @Test
    void httpsToAPlainHttpPortIsATlsFailure() throws Exception {
        // What nginx or Apache do with a TLS ClientHello on a plain port: 400 and hang up.
        FaultServer plain = track(new FaultServer((socket, server) -> {
            socket.getInputStream().read(new byte[512]);
            server.write(socket, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }));
        String webhook = createWebhook(plain.url("https", "/tls"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "tls handshake failed");
        assertNull(first.get("statusCode"));
        assertFailedWith(awaitAttempt(webhook, 2, NEXT_ATTEMPT), "tls handshake failed");
    }

    @Test
    void httpsToAPlainServerThatWaitsForARequestLineIsATimeout() {
        // The JDK's own HTTP server reads the ClientHello as the start of a request line and
        // waits for the rest; nothing ever comes back, so the attempt can only time out.
        Receiver plain = track(new Receiver());
        String webhook = createWebhook(plain.url("/tls").replace("http://", "https://"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "timeout after 2000 ms");
        assertNull(first.get("statusCode"));
        assertEquals(List.of(), plain.requests("/tls"), "no request was ever made over the failed handshake");
    }

    @Test
    void connectionResetMidResponseIsReportedAndRetried() throws Exception {
        FaultServer resetter = track(new FaultServer((socket, server) -> {
            server.readRequest(socket.getInputStream());
            server.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial");
            socket.setSoLinger(true, 0); // close with RST instead of FIN
            socket.close();
        }));
        String webhook = createWebhook(resetter.url("/reset"));
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "connection reset");
        assertFailedWith(awaitAttempt(webhook, 2, NEXT_ATTEMPT), "connection reset");
        assertTrue(resetter.requests.get() >= 2);
    }

    @Test
    void unresolvableNameIsADnsFailure() throws Exception {
        // RFC 2606 reserves .invalid: it never resolves. Test JVMs resolve from the build's
        // test-hosts file only, so this fails without a DNS query leaving the machine.
        assertTrue(System.getProperty("jdk.net.hosts.file", "").endsWith("test-hosts"), "resolving from test-hosts");
        String host = "astra-" + UUID.randomUUID().toString().substring(0, 8) + ".invalid";
        String webhook = createWebhook("http://" + host + "/hook");
        push(tenant);

        Map<String, Object> first = awaitAttempt(webhook, 1, FIRST_ATTEMPT);
        assertFailedWith(first, "dns lookup failed: " + host);
        assertNull(first.get("statusCode"));
        assertFailedWith(awaitAttempt(webhook, 2, NEXT_ATTEMPT), "dns lookup failed: " + host);
    }

    // --- the rest keeps flowing ----------------------------------------------------------------

    @Test
    void healthyReceiversKeepGettingEventsWhileOthersMisbehave() throws Exception {
        FaultServer silent = track(new FaultServer((socket, server) -> {
            server.readRequest(socket.getInputStream());
            server.awaitClose();
        }));
        FaultServer endless = track(new FaultServer((socket, server) -> {
            socket.setSendBufferSize(8 * 1024);
            server.readRequest(socket.getInputStream());
            server.write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("400\r\n" + "z".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (true) {
                server.write(socket, chunk);
            }
        }));
        Receiver slow = track(new Receiver());
        for (int i = 0; i < 20; i++) {
            slow.script("/slow", Receiver.Answer.slow(200, Duration.ofSeconds(3)));
        }
        List<String> faulty = List.of(createWebhook(silent.url("/silent")), createWebhook(endless.url("/endless")),
                createWebhook(slow.url("/slow")), createWebhook("http://astra-nowhere.invalid/hook"));
        for (int i = 0; i < 10; i++) {
            push(tenant); // ten events, each to four misbehaving receivers
        }

        // another tenant, pushed after the faults, with a receiver that answers at once
        String other = "t-" + UUID.randomUUID();
        String otherToken = AstraLocalExtension.token(other);
        Receiver healthy = track(new Receiver());
        Http.Response created = http.post("/webhooks", otherToken,
                "{\"url\":\"" + healthy.url("/ok") + "\",\"events\":[\"agent_completed\"]}");
        assertEquals(201, created.status(), created.body());
        String healthyWebhook = (String) json(created).get("id");
        Instant pushed = Instant.now();
        String healthyEvent = push(other);

        List<Receiver.Request> got = healthy.await("/ok", 1, Duration.ofSeconds(15));
        Duration took = Duration.between(pushed, got.get(0).at());
        System.out.println("[receiver-faults] healthy receiver got its event " + took.toMillis()
                + " ms after the push, behind 10 events x 4 misbehaving receivers");
        assertEquals(healthyEvent, got.get(0).header("webhook-id"));
        Map<String, Object> delivered = awaitAttempt(healthyWebhook, 1, otherToken, FIRST_ATTEMPT);
        assertEquals("delivered", delivered.get("outcome"));

        // and every misbehaving receiver's first attempts were recorded with their reason
        for (String id : faulty) {
            Eventually.await(Duration.ofSeconds(60), "10 first attempts recorded for " + id,
                    () -> attempts(id).stream().filter(d -> number(d.get("attempt")) == 1).count() == 10);
        }
        http.delete("/webhooks/" + healthyWebhook, otherToken);
    }

    // --- helpers -------------------------------------------------------------------------------

    private <T extends AutoCloseable> T track(T server) {
        servers.add(server);
        return server;
    }

    private String createWebhook(String url) {
        Http.Response r = http.post("/webhooks", token, "{\"url\":\"" + url + "\",\"events\":[\"agent_completed\"]}");
        assertEquals(201, r.status(), r.body());
        String id = (String) json(r).get("id");
        webhooks.add(id);
        return id;
    }

    /** Pushes one agent_completed event for {@code forTenant} onto the events queue; returns its id. */
    private static String push(String forTenant) {
        String id = "evt_fault_" + UUID.randomUUID().toString().replace("-", "");
        String body = "{\"event\":\"agent_completed\",\"tenant\":\"" + forTenant + "\",\"id\":\"" + id
                + "\",\"data\":{\"run\":\"fault\"}}";
        AstraLocalExtension.sqs().sendMessage(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl()).messageBody(body));
        return id;
    }

    private List<Map<String, Object>> attempts(String webhookId) {
        return attempts(webhookId, token);
    }

    private List<Map<String, Object>> attempts(String webhookId, String bearer) {
        Http.Response r = http.get("/webhooks/" + webhookId + "/deliveries?limit=200", bearer);
        assertEquals(200, r.status(), r.body());
        return data(r);
    }

    private Map<String, Object> awaitAttempt(String webhookId, int attempt, Duration timeout) {
        return awaitAttempt(webhookId, attempt, token, timeout);
    }

    private Map<String, Object> awaitAttempt(String webhookId, int attempt, String bearer, Duration timeout) {
        AtomicReference<Map<String, Object>> found = new AtomicReference<>();
        Eventually.await(timeout, "attempt " + attempt + " of webhook " + webhookId + " to be recorded", () -> {
            Optional<Map<String, Object>> d = attempts(webhookId, bearer).stream()
                    .filter(x -> number(x.get("attempt")) == attempt).findFirst();
            d.ifPresent(found::set);
            return d.isPresent();
        });
        return found.get();
    }

    private static void assertFailedWith(Map<String, Object> dispatch, String error) {
        assertEquals("failed", dispatch.get("outcome"), dispatch.toString());
        assertEquals(error, dispatch.get("error"), dispatch.toString());
        assertNotNull(dispatch.get("nextAttemptAt"), "a retry is scheduled: " + dispatch);
        String body = (String) dispatch.get("responseBody");
        assertTrue(body == null || body.getBytes(StandardCharsets.UTF_8).length <= 4096);
    }

    private static int number(Object o) {
        return o == null ? -1 : ((Number) o).intValue();
    }
}
