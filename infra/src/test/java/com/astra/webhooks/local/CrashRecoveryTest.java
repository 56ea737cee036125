package com.astra.webhooks.local;

import com.astra.webhooks.auth.TokenIssuer;
import static com.astra.webhooks.local.ChildRunner.queuedMessages;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * kill -9 of the runner while it delivers: the runner runs as a child JVM on a data dir, is
 * killed outright with deliveries in flight, and is started again on the same data dir. Every
 * event must reach the receiver at least once; the duplicates (same webhook-id received twice)
 * are counted, explained and printed. The receiver itself pulls the trigger while it holds a
 * request unanswered, so the kill always lands mid-delivery, however loaded the machine is.
 *
 * <p>The runner runs the bundled template, with its real 360 s visibility timeout. Messages that
 * were in flight at the kill must not wait that out: the restarted runner, the only consumer of
 * its queue, releases them as soon as their delivery claims have lapsed (claim lease: delivery
 * timeout 2 s + 30 s), so every event is delivered within 60 s of the restart.
 */
class CrashRecoveryTest {

    private static final int EVENTS = 300;
    private static final String SECRET = "crash-secret";
    private static final int VISIBILITY_SECONDS = 360;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);
    private static final int KILL_AT_REQUEST = 60;

    @RegisterExtension
    final ChildRunner child = new ChildRunner();

    @Test
    void killMinusNineWhileDeliveringLosesNoEvent() throws Exception {
        String tenant = "t-crash";
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        try (CrashReceiver receiver = new CrashReceiver(KILL_AT_REQUEST, Duration.ofMillis(200), () -> {
            Process runner = child.process();
            runner.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
            runner.waitFor(60, TimeUnit.SECONDS);
        })) {
            child.startDelivering(SECRET);
            Http.Response created = child.http().post("/webhooks", token,
                    "{\"url\":\"" + receiver.url() + "\",\"events\":[\"agent_completed\"]}");
            assertEquals(201, created.status(), created.body());
            String webhookId = (String) json(created).get("id");

            try (SqsClient sqs = AwsClients.sqs(child.clientSettings())) {
                String events = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
                assertEquals(Integer.toString(VISIBILITY_SECONDS), sqs.getQueueAttributes(b -> b.queueUrl(events)
                        .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                        .get(QueueAttributeName.VISIBILITY_TIMEOUT), "the template's real visibility timeout");
            }
            List<String> ids = push(tenant, EVENTS);
            receiver.arm(); // not before: the push needs the runner alive

            // the receiver kills the runner while it holds request KILL_AT_REQUEST unanswered
            Eventually.await(Duration.ofSeconds(120), "the receiver to kill the runner", receiver::killed);
            assertTrue(!child.process().isAlive(), "the runner is dead");
            Set<String> inFlightAtKill = receiver.inFlightAtKill();
            int receivedAtKill = receiver.receivedAtKill();
            System.out.println("[crash] killed the runner after " + receivedAtKill + " of " + EVENTS
                    + " requests, " + inFlightAtKill.size() + " of them unanswered");
            assertTrue(receivedAtKill < EVENTS);
            assertTrue(inFlightAtKill.size() >= 1, "the kill came mid-delivery");

            // the killed JVM's dynoxide goes with it (its watchdog sees the pipe close)
            Eventually.await(Duration.ofSeconds(15), "the killed runner's dynoxide to exit",
                    () -> child.processesOnDataDir().isEmpty());
            child.awaitPortsFree();

            Instant restarted = Instant.now();
            child.startDelivering(SECRET);
            Duration startup = Duration.between(restarted, Instant.now());
            // within 60 s of the restart every event has been received and every message is done
            // with (deleted), including the ones in flight at the kill
            Duration recovery;
            try (SqsClient sqs = AwsClients.sqs(child.clientSettings())) {
                String events = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
                String dlq = sqs.getQueueUrl(b -> b.queueName(LocalRunner.DLQ)).queueUrl();
                Eventually.await(RECOVERY_LIMIT.minus(startup), "every event received and the events queue"
                                + " drained within 60 s of the restart (the visibility timeout is " + VISIBILITY_SECONDS + " s)",
                        () -> receiver.eventIds().containsAll(ids) && queuedMessages(sqs, events) == 0);
                recovery = Duration.between(restarted, Instant.now());
                assertEquals(0, queuedMessages(sqs, dlq), "nothing was dead-lettered");
            }

            Map<String, Long> perEvent = receiver.perEvent();
            Set<String> unexpected = new HashSet<>(perEvent.keySet());
            ids.forEach(unexpected::remove);
            assertEquals(Set.of(), unexpected, "only the pushed events were delivered");
            long lost = ids.stream().filter(id -> !perEvent.containsKey(id)).count();
            Set<String> duplicated = perEvent.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(java.util.TreeSet::new));
            long total = perEvent.values().stream().mapToLong(Long::longValue).sum();
            long extra = total - perEvent.size();

            // every duplicate is explained: sent before the kill but not recorded by the runner (it
            // died mid-request or before writing the outcome), or a retry after a recorded failed attempt
            Map<String, List<Map<String, Object>>> attempts = child.dispatchesByEvent(token, webhookId);
            Set<String> byKill = new java.util.TreeSet<>(duplicated);
            byKill.retainAll(receiver.beforeKill());
            Set<String> byRetry = new java.util.TreeSet<>(duplicated);
            byRetry.removeAll(receiver.beforeKill());
            for (String id : byRetry) {
                assertTrue(attempts.getOrDefault(id, List.of()).stream().anyMatch(d -> "failed".equals(d.get("outcome"))),
                        id + " was received twice without being cut off by the kill or failing an attempt: "
                                + attempts.get(id));
            }
            for (String id : ids) {
                assertTrue(attempts.getOrDefault(id, List.of()).stream().anyMatch(d -> "delivered".equals(d.get("outcome"))),
                        id + " has a delivered dispatch record: " + attempts.get(id));
            }
            System.out.printf("[crash] events=%d lost=%d duplicates=%d (extra deliveries=%d, total deliveries=%d;"
                            + " %d sent before the kill but not recorded, %d retries after a failed attempt %s;"
                            + " %d requests before the kill, %d unanswered at the kill;"
                            + " restart took %d ms, all delivered and the queue drained %d ms after the restart began;"
                            + " runner: %s)%n",
                    EVENTS, lost, duplicated.size(), extra, total, byKill.size(), byRetry.size(),
                    failedErrors(attempts, byRetry), receivedAtKill, inFlightAtKill.size(), startup.toMillis(),
                    recovery.toMillis(), releaseLine());
            assertEquals(0, lost);
            assertEquals(EVENTS, perEvent.size());
            // what the kill can leave unrecorded is at most the batches in flight: 2 pollers x 10
            assertTrue(byKill.size() <= 2 * 10, "more unrecorded deliveries than batches in flight: " + byKill);
        } finally {
            Process runner = child.process();
            if (runner != null && runner.isAlive()) {
                runner.destroy();
                assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the restarted runner stops on SIGTERM");
            }
            Eventually.await(Duration.ofSeconds(20), "no process left on the data dir",
                    () -> child.processesOnDataDir().isEmpty());
        }
    }

    private static String failedErrors(Map<String, List<Map<String, Object>>> attempts, Set<String> ids) {
        return ids.stream().flatMap(id -> attempts.getOrDefault(id, List.of()).stream())
                .filter(d -> "failed".equals(d.get("outcome")))
                .map(d -> d.get("eventId") + " attempt " + d.get("attempt") + ": " + d.get("error"))
                .collect(Collectors.joining("; ", "[", "]"));
    }

    /**
     * A receiver that answers 200 after a delay and, once armed, when request number
     * {@code killAt} or a later one arrives, runs {@code kill} before answering it: the runner dies with that request (and
     * whatever else is mid-answer) unanswered.
     */
    private static final class CrashReceiver implements AutoCloseable {
        interface Kill {
            void run() throws Exception;
        }

        private final Receiver receiver = new Receiver();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile Set<String> inFlightAtKill;
        private volatile int receivedAtKill;
        private volatile Set<String> beforeKill;

        CrashReceiver(int killAt, Duration delay, Kill kill) {
            receiver.respond("/crash", request -> {
                if (count.incrementAndGet() >= killAt && armed.get() && fired.compareAndSet(false, true)) {
                    try {
                        kill.run();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not kill the runner", e);
                    }
                    List<Receiver.Request> received = receiver.requests("/crash");
                    receivedAtKill = received.size();
                    beforeKill = ids(received);
                    inFlightAtKill = ids(receiver.unanswered());
                }
                return Receiver.Answer.slow(200, delay); // the receiver's work
            });
        }

        private static Set<String> ids(List<Receiver.Request> requests) {
            return requests.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
        }

        /** From now on, request number killAt or any later one pulls the trigger (once). */
        void arm() {
            armed.set(true);
        }

        String url() {
            return receiver.url("/crash");
        }

        boolean killed() {
            return inFlightAtKill != null;
        }

        Set<String> inFlightAtKill() {
            return inFlightAtKill;
        }

        /** Events the receiver had seen when the runner died; the runner may not have recorded them yet. */
        Set<String> beforeKill() {
            return beforeKill;
        }

        int receivedAtKill() {
            return receivedAtKill;
        }

        Set<String> eventIds() {
            return ids(receiver.requests("/crash"));
        }

        Map<String, Long> perEvent() {
            return receiver.requests("/crash").stream()
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), TreeMap::new, Collectors.counting()));
        }

        @Override
        public void close() {
            receiver.close();
        }
    }

    /** Pushes {@code count} events with distinct ids, ten per SendMessageBatch. */
    private List<String> push(String tenant, int count) {
        List<String> ids = new ArrayList<>();
        try (SqsClient sqs = AwsClients.sqs(child.clientSettings())) {
            String url = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
            for (int i = 0; i < count; i += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int j = i; j < Math.min(count, i + 10); j++) {
                    String id = String.format("evt_crash_%03d", j);
                    ids.add(id);
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(
                            "{\"event\":\"agent_completed\",\"tenant\":\"" + tenant + "\",\"id\":\"" + id
                                    + "\",\"data\":{\"n\":" + j + "}}").build());
                }
                var result = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                assertTrue(result.failed().isEmpty(), result.failed().toString());
            }
        }
        return ids;
    }

    /** What the restarted runner said about the messages it released. */
    private String releaseLine() {
        return child.output().lines().filter(l -> l.contains("come back in")).findFirst().orElse("(released none)");
    }
}
