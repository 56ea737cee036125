package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A webhook's {@code rateLimit} holds across dispatcher containers: two runners in two JVMs (this
 * one and a child), each with its own pollers and dispatcher, share one DynamoDB and one SQS (the
 * first runner's, handed to the second through {@code AWS_ENDPOINT_URL_*}). Every event goes to a
 * webhook limited to 20/s and to an unlimited one of the same tenant.
 */
class RateLimitAcrossRunnersTest {

    private static final int EVENTS = 600;
    private static final int LIMIT = 20;
    /**
     * The limit plus the 5 % a send may start late on its slot ({@code RateLimitGate.LATE}), and
     * what a stall of the shared machine bunches at the receiver (seen: 23 once in a full build).
     * Without the limit a second holds hundreds.
     */
    private static final int MAX_IN_ANY_SECOND = 24;
    /**
     * The same for a 1 s window starting anywhere, not on a whole second. The receiver sees
     * arrivals, not slots: the late tail of one slot-second and the on-time head of the next
     * land in one window whenever a stall of the shared machine (GC, CPU) delays the first
     * (seen: 26). Half the limit again covers that; without the limit a window holds hundreds.
     */
    private static final int MAX_IN_ANY_SLIDING_SECOND = 30;
    /**
     * What jitter cannot fake: at 20 a second, the limited webhook's events take at least this
     * long from the first arrival to the last (a limiter that let 25 a second through would
     * finish in 24 s).
     */
    private static final Duration MIN_SPAN = Duration.ofSeconds((EVENTS - 2 * LIMIT) / LIMIT);
    private static final String SECRET = "test-secret";
    /**
     * The deployed delivery timeout: on a loaded machine the tests' 2 s makes a slow answer a
     * failed attempt whose retry the receiver then sees twice (at least once, not this test's subject).
     */
    private static final Map<String, String> SETTINGS = Map.of(Settings.DELIVERY_TIMEOUT_MS, "10000");

    @TempDir
    Path dataDir;

    private LocalRunner first;
    private Process second;
    private final StringBuilder secondOutput = new StringBuilder();

    @AfterEach
    void stop() throws InterruptedException {
        ChildRunner.stop(second, dataDir);
        if (first != null) {
            first.close();
        }
    }

    @Test
    void twoRunnersTogetherKeepALimitedWebhookUnderItsRateWithoutSlowingAnUnlimitedOne() throws IOException {
        first = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(4)
                .settings(AstraLocalExtension.TEST_SETTINGS).settings(SETTINGS));
        ProcessBuilder child = ChildRunner.command(dataDir, null, LocalRunner.freePort(), LocalRunner.freePort(),
                LocalRunner.freePort(), 4);
        child.environment().putAll(AstraLocalExtension.TEST_SETTINGS);
        child.environment().putAll(SETTINGS);
        child.environment().put(Settings.AWS_ENDPOINT_URL_SQS, first.sqsEndpoint());
        child.environment().put(Settings.AWS_ENDPOINT_URL_DYNAMODB, first.dynamoEndpoint());
        second = ChildRunner.start(child, secondOutput);

        String tenant = "t-" + UUID.randomUUID();
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        Http http = new Http(first.httpUrl());
        try (Receiver receiver = new Receiver();
             SqsClient sqs = AwsClients.sqs(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, first.sqsEndpoint(),
                     Settings.AWS_REGION, LocalRunner.REGION)))) {
            for (String body : List.of(
                    "{\"url\":\"" + receiver.url("/limited") + "\",\"events\":[\"agent_completed\"],\"rateLimit\":" + LIMIT + "}",
                    "{\"url\":\"" + receiver.url("/unlimited") + "\",\"events\":[\"agent_completed\"]}")) {
                Http.Response created = http.post("/webhooks", token, body);
                assertEquals(201, created.status(), created.body());
            }

            Set<String> pushed = push(sqs, first.eventsQueueUrl(), tenant);
            Set<Long> senders = ConcurrentHashMap.newKeySet();
            int port = Integer.parseInt(receiver.url("/").replaceAll(".*:(\\d+)/.*", "$1"));
            long[] lastLook = {0};
            Eventually.await(Duration.ofSeconds(150), "all " + EVENTS + " events at the limited webhook", () -> {
                if (System.nanoTime() - lastLook[0] > 500_000_000L) { // ss is a process: twice a second is enough
                    senders.addAll(connectedPids(port));
                    lastLook[0] = System.nanoTime();
                }
                return ids(receiver.requests("/limited")).size() == EVENTS;
            });
            Eventually.await(Duration.ofSeconds(30), "the events queue to be empty", () -> queueEmpty(sqs, first.eventsQueueUrl()));

            List<Receiver.Request> limited = receiver.requests("/limited");
            List<Receiver.Request> unlimited = receiver.requests("/unlimited");
            Instant start = limited.stream().map(Receiver.Request::at).min(Instant::compareTo).orElseThrow();
            printHistogram(start, limited, unlimited);

            assertEquals(pushed, ids(limited), "every event reached the limited webhook");
            assertEquals(EVENTS, limited.size(), "each exactly once: " + duplicates(limited));
            assertEquals(pushed, ids(unlimited), "every event reached the unlimited webhook");
            assertEquals(EVENTS, unlimited.size(), "each exactly once: " + duplicates(unlimited));
            long busiest = limited.stream().collect(Collectors.groupingBy(r -> Duration.between(start, r.at()).toSeconds(),
                    Collectors.counting())).values().stream().mapToLong(Long::longValue).max().orElse(0);
            assertTrue(busiest <= MAX_IN_ANY_SECOND, "at most " + MAX_IN_ANY_SECOND + " in any second, saw " + busiest);
            int sliding = busiestSecond(limited);
            assertTrue(sliding <= MAX_IN_ANY_SLIDING_SECOND, "at most " + MAX_IN_ANY_SLIDING_SECOND
                    + " in any sliding 1 s window, saw " + sliding);
            Instant lastUnlimited = last(unlimited);
            Instant lastLimited = last(limited);
            assertTrue(!Duration.between(start, lastLimited).minus(MIN_SPAN).isNegative(), "the limited webhook's "
                    + EVENTS + " events took at least " + MIN_SPAN + ": " + Duration.between(start, lastLimited));
            assertTrue(lastUnlimited.isBefore(lastLimited), "the unlimited webhook finished first: " + lastUnlimited
                    + " vs " + lastLimited);
            assertTrue(senders.containsAll(Set.of(ProcessHandle.current().pid(), second.pid())),
                    "both runners sent to the receiver; pids seen: " + senders + ", runners: "
                            + ProcessHandle.current().pid() + ", " + second.pid());
        }
    }

    private static Set<String> push(SqsClient sqs, String queueUrl, String tenant) {
        Set<String> ids = new TreeSet<>();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
            ids.add(id);
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(Json.write(Map.of(
                    "event", "agent_completed", "tenant", tenant, "id", id, "data", Map.of("n", i)))).build());
            if (entries.size() == 10) {
                List<SendMessageBatchRequestEntry> batch = entries;
                assertEquals(0, sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch)).failed().size());
                entries = new ArrayList<>();
            }
        }
        return ids;
    }

    private static boolean queueEmpty(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().allMatch("0"::equals);
    }

    private static Set<String> ids(List<Receiver.Request> requests) {
        return requests.stream().map(r -> r.header("webhook-id")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Long> duplicates(List<Receiver.Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Instant last(List<Receiver.Request> requests) {
        return requests.stream().map(Receiver.Request::at).max(Instant::compareTo).orElseThrow();
    }

    /** The most requests in any window of one second, wherever it starts (not only on whole seconds). */
    static int busiestSecond(List<Receiver.Request> requests) {
        return (int) busiestWindowAt(requests)[0];
    }

    /** The busiest 1 s window: how many requests, and when its first one came (epoch microseconds). */
    private static long[] busiestWindowAt(List<Receiver.Request> requests) {
        long[] t = requests.stream().mapToLong(r -> r.at().getEpochSecond() * 1_000_000 + r.at().getNano() / 1000).sorted().toArray();
        long[] best = {0, 0};
        for (int i = 0, j = 0; i < t.length; i++) {
            while (t[i] - t[j] >= 1_000_000) {
                j++;
            }
            if (i - j + 1 > best[0]) {
                best = new long[] {i - j + 1, t[j]};
            }
        }
        return best;
    }

    private static void printHistogram(Instant start, List<Receiver.Request> limited, List<Receiver.Request> unlimited) {
        Function<List<Receiver.Request>, Map<Long, Long>> perSecond = list -> list.stream().collect(Collectors.groupingBy(
                r -> Duration.between(start, r.at()).toSeconds(), Collectors.counting()));
        Map<Long, Long> l = perSecond.apply(limited);
        Map<Long, Long> u = perSecond.apply(unlimited);
        long end = Math.max(l.keySet().stream().max(Long::compare).orElse(0L), u.keySet().stream().max(Long::compare).orElse(0L));
        long[] busiest = busiestWindowAt(limited);
        StringBuilder out = new StringBuilder("[rate-limit] second: limited(20/s) unlimited; busiest sliding 1 s window: "
                + busiest[0] + " from +" + (busiest[1] - (start.getEpochSecond() * 1_000_000 + start.getNano() / 1000)) / 1000
                + " ms\n");
        for (long s = Math.min(0, u.keySet().stream().min(Long::compare).orElse(0L)); s <= end; s++) {
            out.append(String.format("[rate-limit] %3d: %3d %4d %s%n", s, l.getOrDefault(s, 0L), u.getOrDefault(s, 0L),
                    "#".repeat(l.getOrDefault(s, 0L).intValue())));
        }
        System.out.print(out);
    }

    /** Which processes hold connections to the receiver now, from {@code ss -tnp}. */
    private static Set<Long> connectedPids(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-Htnp", "state", "established", "( dport = :" + port + " )")
                    .redirectErrorStream(true).start();
            String text = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            Set<Long> pids = new TreeSet<>();
            Matcher m = Pattern.compile("pid=(\\d+)").matcher(text);
            while (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
            return pids;
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }
}
