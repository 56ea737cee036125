package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The dispatcher respects its invocation deadline. The template's dispatcher Timeout is cut to
 * 10 s (the runner's context carries that deadline, as Lambda's does) and its queue's visibility
 * timeout to 40 s (more than the 32 s claim lease, as 360 s is on AWS). Every receiver holds the
 * first attempts past the 2 s delivery timeout, and 8 delivery threads cannot make 40 of those in
 * one invocation: the dispatcher stops starting attempts when less than a delivery timeout plus
 * its writes is left, and hands those messages back. They come back and finish; none is
 * dead-lettered (maxReceiveCount 5), no invocation overran its deadline, no attempt was sent twice.
 */
class InvocationDeadlineTest {

    private static final String SECRET = "deadline-secret";
    private static final int TIMEOUT_SECONDS = 10;
    private static final int EVENTS = 5;
    private static final int WEBHOOKS = 8;

    @TempDir
    Path dataDir;

    private final int httpPort = LocalRunner.freePort();
    private final int sqsPort = LocalRunner.freePort();
    private final int dynamoPort = LocalRunner.freePort();
    private final StringBuilder output = new StringBuilder();
    private Process runner;

    @AfterEach
    void stop() throws InterruptedException {
        ChildRunner.stop(runner, dataDir);
    }

    @Test
    void workThatCannotFinishBeforeTheDeadlineIsHandedBackAndDoneLaterOnceEach() throws Exception {
        String tenant = "t-deadline";
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        try (Receiver receiver = new Receiver()) {
            ProcessBuilder pb = ChildRunner.command(dataDir, shortTemplate(), httpPort, sqsPort, dynamoPort, 2);
            Map<String, String> env = pb.environment();
            env.put(Settings.JWT_SECRET, SECRET);
            env.put(Settings.ALLOW_PRIVATE_TARGETS, "true");
            env.put(Settings.REQUIRE_HTTPS, "false");
            env.put(Settings.RETRY_SCHEDULE, "1s,1s,1s,1s,1s,1s,1s");
            env.put(Settings.DELIVERY_TIMEOUT_MS, "2000");
            env.put(Settings.MAX_CONCURRENCY, "8");
            runner = ChildRunner.start(pb, output);
            Http http = new Http("http://127.0.0.1:" + httpPort);

            List<String> hooks = new ArrayList<>();
            for (int i = 0; i < WEBHOOKS; i++) {
                String path = "/h" + i;
                receiver.script(path, java.util.Collections.nCopies(EVENTS,
                        Receiver.Answer.slow(200, Duration.ofSeconds(3))).toArray(Receiver.Answer[]::new));
                Http.Response r = http.post("/webhooks", token,
                        "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"agent_completed\"]}");
                assertEquals(201, r.status(), r.body());
                hooks.add((String) json(r).get("id"));
            }
            List<String> ids = new ArrayList<>();
            try (SqsClient sqs = AwsClients.sqs(config())) {
                String events = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
                String dlq = sqs.getQueueUrl(b -> b.queueName(LocalRunner.DLQ)).queueUrl();
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    String id = String.format("evt_deadline_%02d", i);
                    ids.add(id);
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(
                            "{\"event\":\"agent_completed\",\"tenant\":\"" + tenant + "\",\"id\":\"" + id
                                    + "\",\"data\":{}}").build());
                }
                assertTrue(sqs.sendMessageBatch(b -> b.queueUrl(events).entries(entries)).failed().isEmpty());

                Eventually.await(Duration.ofSeconds(240), "every event delivered to every webhook and the queue drained",
                        () -> delivered(http, token, hooks, ids) && queued(sqs, events) == 0);
                assertEquals(0, queued(sqs, dlq), "nothing was dead-lettered");
            }

            List<Map<String, Object>> batches = batchLines();
            long deferred = batches.stream().mapToLong(b -> ((Number) b.get("attemptsDeferred")).longValue()).sum();
            long handedBack = batches.stream().mapToLong(b -> ((Number) b.get("messagesHandedBack")).longValue()).sum();
            System.out.println("[deadline] " + batches.size() + " invocations, " + deferred + " attempts deferred, "
                    + handedBack + " messages handed back, longest " + batches.stream()
                    .mapToLong(b -> ((Number) b.get("durationMs")).longValue()).max().orElse(0) + " ms");
            assertTrue(deferred > 0 && handedBack > 0,
                    "the deadline stopped attempts and handed messages back: " + batches);
            for (Map<String, Object> b : batches) {
                assertTrue(((Number) b.get("durationMs")).longValue() < TIMEOUT_SECONDS * 1000L,
                        "an invocation ran past its " + TIMEOUT_SECONDS + " s deadline: " + b);
            }

            // Nothing sent twice: each (webhook, event) has distinct attempt numbers, and the
            // receiver saw exactly as many requests as there are attempt records.
            for (int i = 0; i < WEBHOOKS; i++) {
                Map<String, List<Map<String, Object>>> byEvent = dispatchesByEvent(http, token, hooks.get(i));
                for (String id : ids) {
                    List<Map<String, Object>> attempts = byEvent.getOrDefault(id, List.of());
                    Set<Object> numbers = new TreeSet<>();
                    attempts.forEach(a -> numbers.add(((Number) a.get("attempt")).intValue()));
                    assertEquals(attempts.size(), numbers.size(), "an attempt made twice: " + attempts);
                    String path = "/h" + i;
                    long sent = receiver.requests(path).stream().filter(r -> id.equals(r.header("webhook-id"))).count();
                    assertEquals(attempts.size(), sent, "requests to " + path + " for " + id + " vs records " + attempts);
                }
            }
        }
    }

    private boolean delivered(Http http, String token, List<String> hooks, List<String> ids) {
        for (String hook : hooks) {
            Map<String, List<Map<String, Object>>> byEvent = dispatchesByEvent(http, token, hook);
            for (String id : ids) {
                if (byEvent.getOrDefault(id, List.of()).stream().noneMatch(d -> "delivered".equals(d.get("outcome")))) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<Map<String, Object>> batchLines() {
        String text;
        synchronized (output) {
            text = output.toString();
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : text.lines().filter(l -> l.startsWith("{") && l.contains("\"batch done\"")).toList()) {
            try {
                lines.add(Json.parseObject(line));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return lines;
    }

    /** The bundled template with a 10 s dispatcher timeout and a 40 s visibility timeout. */
    private Path shortTemplate() throws Exception {
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(TemplateModel.BUNDLED)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String dispatcher = "Handler: com.astra.webhooks.worker.DispatcherHandler::handleRequest\n      Timeout: 60\n";
        assertTrue(text.contains(dispatcher) && text.contains("VisibilityTimeout: 360\n"), "the template's shape changed");
        text = text.replace(dispatcher, dispatcher.replace("Timeout: 60", "Timeout: " + TIMEOUT_SECONDS))
                .replace("VisibilityTimeout: 360\n", "VisibilityTimeout: 40\n");
        Path file = dataDir.resolveSibling(dataDir.getFileName() + "-template.yaml");
        Files.writeString(file, text);
        file.toFile().deleteOnExit();
        return file;
    }

    private static Map<String, List<Map<String, Object>>> dispatchesByEvent(Http http, String token, String webhookId) {
        Map<String, List<Map<String, Object>>> byEvent = new HashMap<>();
        String cursor = null;
        do {
            Http.Response r = http.get("/webhooks/" + webhookId + "/deliveries?limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token);
            assertEquals(200, r.status(), r.body());
            WebhookApiTest.data(r).forEach(d -> byEvent.computeIfAbsent((String) d.get("eventId"), k -> new ArrayList<>()).add(d));
            cursor = (String) json(r).get("nextCursor");
        } while (cursor != null);
        return byEvent;
    }

    private static int queued(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    private Settings config() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Settings.AWS_ENDPOINT_URL_SQS, "http://127.0.0.1:" + sqsPort);
        m.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, "http://127.0.0.1:" + dynamoPort);
        m.put(Settings.AWS_REGION, "us-east-1");
        return Settings.parse(m);
    }
}
