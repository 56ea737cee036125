package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.auth.TokenIssuer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SIGTERM while two agents keep pushing, one through the AWS SDK and one through the plain
 * query API as the README's curl does, and the runner is delivering. Then a restart on the same
 * data dir. Every send that was answered with a MessageId must reach the receiver, the stop must
 * take at most 5 s, and nothing may wait out the template's 360 s visibility timeout: all is
 * delivered within 60 s of the restart.
 */
class ShutdownUnderLoadTest {

    private static final String SECRET = "shutdown-secret";
    private static final Duration STOP_LIMIT = Duration.ofSeconds(5);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);
    /** Agents pause this long between sends: a steady load the machine can deliver, not a flood. */
    private static final Duration PACE = Duration.ofMillis(30);
    /** Within the 2 s delivery timeout, longer than an instant stop. */
    private static final Duration SLOW_RECEIVER = Duration.ofMillis(1500);

    @RegisterExtension
    final ChildRunner child = new ChildRunner();

    @Test
    void sigtermUnderLoadLosesNoAcknowledgedSend() throws Exception {
        String tenant = "t-shutdown";
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        try (Receiver receiver = new Receiver()) {
            Process runner = child.startDelivering(SECRET);
            Http.Response created = child.http().post("/webhooks", token,
                    "{\"url\":\"" + receiver.url("/hook") + "\",\"events\":[\"agent_completed\"]}");
            assertEquals(201, created.status(), created.body());
            String queueUrl = child.sqsEndpoint() + "/000000000000/" + LocalRunner.EVENTS_QUEUE;

            Agent sdk = new SdkAgent("sdk", tenant, queueUrl);
            Agent query = new QueryApiAgent("query", tenant, queueUrl);
            sdk.start();
            query.start();
            // under load: both agents acknowledged, and the runner delivering, when the signal comes
            Eventually.await(Duration.ofSeconds(60), "deliveries under way",
                    () -> receiver.requests("/hook").size() >= 100 && sdk.acked.size() >= 20 && query.acked.size() >= 20);
            int deliveredBeforeStop = receiver.requests("/hook").size();
            // the next deliveries are slow: the signal finds batches mid-delivery, as under real load
            receiver.script("/hook", java.util.stream.IntStream.range(0, 40)
                    .mapToObj(i -> Receiver.Answer.slow(200, SLOW_RECEIVER)).toArray(Receiver.Answer[]::new));
            receiver.await("/hook", deliveredBeforeStop + 2, Duration.ofSeconds(30));

            Instant signalled = Instant.now();
            sdk.signalled = signalled;
            query.signalled = signalled;
            runner.destroy(); // SIGTERM
            assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner stops on SIGTERM");
            Duration stop = Duration.between(signalled, Instant.now());
            int exit = runner.exitValue();
            // the agents keep pushing at the stopped runner until each has been refused at least once
            Eventually.await(Duration.ofSeconds(30), "both agents to see the runner gone",
                    () -> sdk.refused.get() > 0 && query.refused.get() > 0);
            sdk.halt();
            query.halt();
            Set<String> acked = new TreeSet<>(sdk.acked);
            acked.addAll(query.acked);

            child.awaitPortsFree();
            Instant restarted = Instant.now();
            child.startDelivering(SECRET);
            try {
                Eventually.await(RECOVERY_LIMIT, "every acknowledged send to be delivered within 60 s of the restart",
                        () -> receivedIds(receiver).containsAll(acked));
            } finally {
                Set<String> received = receivedIds(receiver);
                long lost = acked.stream().filter(id -> !received.contains(id)).count();
                Map<String, Long> perEvent = receiver.requests("/hook").stream()
                        .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
                long duplicates = perEvent.values().stream().filter(n -> n > 1).count();
                System.out.printf("[shutdown] sdk: %d sent, %d acknowledged (%d after the signal), %d refused;"
                                + " query API: %d sent, %d acknowledged (%d after the signal), %d refused;"
                                + " delivered before SIGTERM %d; stop took %d ms (exit %d);"
                                + " after restart all %d acknowledged delivered in %d ms; lost %d, duplicates %d; runner: %s%n",
                        sdk.attempts.get(), sdk.acked.size(), sdk.ackedAfterSignal.get(), sdk.refused.get(),
                        query.attempts.get(), query.acked.size(), query.ackedAfterSignal.get(), query.refused.get(),
                        deliveredBeforeStop,
                        stop.toMillis(), exit, acked.size(), Duration.between(restarted, Instant.now()).toMillis(),
                        lost, duplicates, runnerNotes());
            }
            String log = child.output();
            assertEquals(143, exit, "ended by the signal, through the shutdown hook:\n" + log);
            assertTrue(stop.compareTo(STOP_LIMIT) <= 0, "the stop took " + stop.toMillis() + " ms:\n" + log);
            assertTrue(!log.contains("Database is already closed") && !log.contains("may be inconsistent"),
                    "the message store stayed open until ElasticMQ had stopped:\n" + log);
            Http.Response listed = child.http().get("/webhooks", token);
            assertEquals(200, listed.status(), listed.body()); // the restarted runner is healthy
            assertTrue(json(listed).containsKey("data"));
        }
    }

    /** The runner's own lines about handing back and releasing messages. */
    private String runnerNotes() {
        return child.output().lines().filter(l -> l.startsWith("[astra-local]")).collect(Collectors.joining(" | "));
    }

    private static Set<String> receivedIds(Receiver receiver) {
        return receiver.requests("/hook").stream().map(r -> r.header("webhook-id")).collect(Collectors.toCollection(HashSet::new));
    }

    /** Pushes distinct events until halted; remembers which ones were answered with a MessageId. */
    private abstract static class Agent extends Thread {
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger ackedAfterSignal = new AtomicInteger();
        volatile Instant signalled;
        final String tenant;
        final String queueUrl;
        private final AtomicBoolean halted = new AtomicBoolean();

        Agent(String name, String tenant, String queueUrl) {
            super("agent-" + name);
            setDaemon(true);
            this.tenant = tenant;
            this.queueUrl = queueUrl;
        }

        /** Sends one message; true when it was answered with a MessageId. */
        abstract boolean send(String body) throws Exception;

        void halt() throws InterruptedException {
            halted.set(true);
            join(30_000);
        }

        @Override
        public void run() {
            for (int n = 0; !halted.get(); n++) {
                String id = String.format("evt_%s_%05d", getName().substring("agent-".length()), n);
                attempts.incrementAndGet();
                try {
                    if (send("{\"event\":\"agent_completed\",\"tenant\":\"" + tenant + "\",\"id\":\"" + id
                            + "\",\"data\":{\"n\":" + n + "}}")) {
                        acked.add(id);
                        if (signalled != null && Instant.now().isAfter(signalled)) {
                            ackedAfterSignal.incrementAndGet();
                        }
                    } else {
                        refused.incrementAndGet();
                    }
                } catch (Exception e) {
                    refused.incrementAndGet(); // connection refused, 503, timeout: not acknowledged
                }
                try {
                    Thread.sleep(PACE.toMillis()); // the agent's own pace, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** An agent on the AWS SDK, with its default retries: a refused send is tried again. */
    private final class SdkAgent extends Agent {
        private final SqsClient sqs;

        SdkAgent(String name, String tenant, String queueUrl) {
            super(name, tenant, queueUrl);
            sqs = AwsClients.sqs(child.clientSettings());
        }

        @Override
        boolean send(String body) {
            String messageId = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)).messageId();
            return messageId != null && !messageId.isBlank();
        }
    }

    /** The README's curl: a form POST of Action=SendMessage to the queue URL, no retries. */
    private static final class QueryApiAgent extends Agent {
        private static final Pattern MESSAGE_ID = Pattern.compile("<MessageId>([^<]+)</MessageId>");
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        QueryApiAgent(String name, String tenant, String queueUrl) {
            super(name, tenant, queueUrl);
        }

        @Override
        boolean send(String body) throws Exception {
            String form = "Action=SendMessage&MessageBody=" + URLEncoder.encode(body, StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(queueUrl))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = MESSAGE_ID.matcher(r.body());
            return r.statusCode() == 200 && m.find();
        }
    }
}
