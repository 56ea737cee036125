package com.astra.webhooks.local;

import static com.astra.webhooks.local.ChildRunner.queuedMessages;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.client.AgentEvent;
import com.astra.webhooks.client.AstraEvents;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * kill -9 of the runner in the middle of ordered deliveries, then a restart on the same data
 * dir: every event of every key arrives, and per key the receiver never sees a number lower than
 * one it already saw (a delivery cut off by the kill may come once more, never out of turn).
 */
class OrderedCrashRecoveryTest {

    private static final String SECRET = "ordered-crash-secret";
    private static final int KEYS = 4;
    private static final int PER_KEY = 15;
    private static final int KILL_AT_REQUEST = 20;

    @RegisterExtension
    final ChildRunner child = new ChildRunner();

    /** What the receiver got: ordering key and sequence, in arrival order. */
    private record Got(String key, long sequence, String eventId) {}

    @Test
    void killMinusNineMidwayLosesNothingAndBreaksNoOrder() throws Exception {
        String tenant = "t-ordered-crash";
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        List<Got> got = new CopyOnWriteArrayList<>();
        AtomicInteger count = new AtomicInteger();
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean killed = new AtomicBoolean();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        receiver.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ordered-crash-receiver");
            t.setDaemon(true);
            return t;
        }));
        receiver.createContext("/ordered", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                var h = exchange.getRequestHeaders();
                got.add(new Got(h.getFirst("webhook-ordering-key"), Long.parseLong(h.getFirst("webhook-sequence")),
                        h.getFirst("webhook-id")));
                Thread.sleep(50); // the receiver's work, not synchronisation
                if (count.incrementAndGet() >= KILL_AT_REQUEST && armed.get() && killed.compareAndSet(false, true)) {
                    child.process().destroyForcibly(); // SIGKILL, with this request unanswered
                    child.process().waitFor(60, TimeUnit.SECONDS);
                }
                exchange.sendResponseHeaders(200, -1);
            } catch (Exception e) {
                // the runner died while we answered
            }
        });
        receiver.start();
        try {
            child.startDelivering(SECRET);
            Http.Response created = child.http().post("/webhooks", token, "{\"url\":\"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/ordered\",\"events\":[\"agent_completed\"]}");
            assertEquals(201, created.status(), created.body());

            Map<String, List<String>> published = new TreeMap<>();
            try (SqsClient sqs = AwsClients.sqs(child.clientSettings())) {
                String fifo = sqs.getQueueUrl(b -> b.queueName("astra-events.fifo")).queueUrl();
                AstraEvents events = AstraEvents.builder().queueUrl(fifo).orderedQueueUrl(fifo).sqsClient(sqs).build();
                for (int i = 0; i < PER_KEY; i++) {
                    for (int k = 0; k < KEYS; k++) {
                        String key = "run-" + k;
                        published.computeIfAbsent(key, x -> new ArrayList<>()).add(events.publishOrdered(key,
                                AgentEvent.of(tenant, "agent_completed", Map.of("i", i))));
                    }
                }
            }
            armed.set(true);
            Eventually.await(Duration.ofSeconds(120), "the receiver to kill the runner", () -> !child.process().isAlive());
            int atKill = got.size();
            List<Got> beforeKill = List.copyOf(got);
            Eventually.await(Duration.ofSeconds(15), "the killed runner's dynoxide to exit",
                    () -> child.processesOnDataDir().isEmpty());
            child.awaitPortsFree();

            child.startDelivering(SECRET);
            try (SqsClient sqs = AwsClients.sqs(child.clientSettings())) {
                String fifo = sqs.getQueueUrl(b -> b.queueName("astra-events.fifo")).queueUrl();
                String stage = sqs.getQueueUrl(b -> b.queueName("astra-ordered.fifo")).queueUrl();
                Eventually.await(Duration.ofSeconds(120), "every ordered event received and both FIFO queues drained",
                        () -> got.stream().map(Got::eventId).distinct().count() == (long) KEYS * PER_KEY
                                && queuedMessages(sqs, fifo) == 0 && queuedMessages(sqs, stage) == 0);
                assertEquals(0, queuedMessages(sqs, sqs.getQueueUrl(b -> b.queueName("astra-events-dlq.fifo")).queueUrl()));
                assertEquals(0, queuedMessages(sqs, sqs.getQueueUrl(b -> b.queueName("astra-ordered-dlq.fifo")).queueUrl()));
            }
            System.out.printf("[ordered-crash] killed after %d of %d requests; %d requests in all%n", atKill,
                    KEYS * PER_KEY, got.size());
            assertTrue(atKill < KEYS * PER_KEY, "the kill came mid-way");
            for (var e : published.entrySet()) {
                List<Got> ofKey = got.stream().filter(g -> g.key().equals(e.getKey())).toList();
                System.out.println("[ordered-crash] " + e.getKey() + " before the kill: " + beforeKill.stream()
                        .filter(g -> g.key().equals(e.getKey())).map(Got::sequence).toList() + ", all: "
                        + ofKey.stream().map(Got::sequence).toList());
                long highest = 0;
                for (Got g : ofKey) {
                    assertTrue(g.sequence() >= highest, e.getKey() + " went back from " + highest + " to " + g.sequence()
                            + ": " + ofKey);
                    assertTrue(g.sequence() <= highest + 1, e.getKey() + " skipped from " + highest + " to " + g.sequence()
                            + ": " + ofKey);
                    highest = g.sequence();
                }
                assertEquals(PER_KEY, highest, e.getKey());
                // the numbers follow the order the FIFO queue accepted the events in
                List<String> firstSeen = ofKey.stream().map(Got::eventId).distinct().toList();
                assertEquals(e.getValue(), firstSeen, e.getKey());
            }
        } finally {
            receiver.stop(0);
            Process runner = child.process();
            if (runner != null && runner.isAlive()) {
                runner.destroy();
                assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the restarted runner stops on SIGTERM");
            }
        }
    }
}
