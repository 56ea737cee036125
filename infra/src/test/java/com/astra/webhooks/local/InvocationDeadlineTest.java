package com.astra.webhooks.local;

import static com.astra.webhooks.local.ChildRunner.queuedMessages;
import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
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

    @RegisterExtension
    final ChildRunner child = new ChildRunner();

    @Test
    void workThatCannotFinishBeforeTheDeadlineIsHandedBackAndDoneLaterOnceEach() throws Exception {
        String tenant = "t-deadline";
        String token = TokenIssuer.issueHs256(SECRET, tenant, Duration.ofHours(1));
        try (Receiver receiver = new Receiver()) {
            ProcessBuilder pb = child.delivering(SECRET, shortTemplate());
            pb.environment().put(Settings.MAX_CONCURRENCY, "8");
            child.start(pb);
            Http http = child.http();

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
            try (SqsClient sqs = AwsClients.sqs(child.clientSettings())) {
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
                        () -> delivered(token, hooks, ids) && queuedMessages(sqs, events) == 0);
                assertEquals(0, queuedMessages(sqs, dlq), "nothing was dead-lettered");
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
                Map<String, List<Map<String, Object>>> byEvent = child.dispatchesByEvent(token, hooks.get(i));
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

    private boolean delivered(String token, List<String> hooks, List<String> ids) {
        for (String hook : hooks) {
            Map<String, List<Map<String, Object>>> byEvent = child.dispatchesByEvent(token, hook);
            for (String id : ids) {
                if (byEvent.getOrDefault(id, List.of()).stream().noneMatch(d -> "delivered".equals(d.get("outcome")))) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<Map<String, Object>> batchLines() {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : child.output().lines().filter(l -> l.startsWith("{") && l.contains("\"batch done\"")).toList()) {
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
        // beside the data dir, not in it: the runner owns what is in there
        return Files.writeString(child.dataDir().resolveSibling("short-template.yaml"), text);
    }
}
