package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Everything a runner prints (its own lines and every function's log records, stdout and stderr
 * of a child JVM) holds none of the secrets and tokens a tenant's session created, nor a payload:
 * webhooks created, a secret rotated, deliveries that succeed, fail and are retried, a test send,
 * a request refused for a wrong token.
 */
class NoSecretsInRunnerOutputTest {

    private static final String JWT_SECRET = "jwt-secret-" + UUID.randomUUID();

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
    void theRunnersWholeOutputHoldsNoSecretTokenOrPayload() throws Exception {
        String tenant = "t-secrets";
        String token = TokenIssuer.issueHs256(JWT_SECRET, tenant, Duration.ofHours(1));
        String wrongToken = TokenIssuer.issueHs256("not-the-secret", tenant, Duration.ofHours(1));
        String marker = "payload-marker-" + UUID.randomUUID();
        List<String> secrets = new ArrayList<>();
        try (Receiver receiver = new Receiver()) {
            receiver.script("/fail", Receiver.Answer.status(500), Receiver.Answer.status(500));
            runner = ChildRunner.startDelivering(dataDir, httpPort, sqsPort, dynamoPort, JWT_SECRET, output);
            Http http = new Http("http://127.0.0.1:" + httpPort);
            Map<String, Object> ok = create(http, token, receiver.url("/ok"));
            Map<String, Object> failing = create(http, token, receiver.url("/fail"));
            secrets.add((String) ok.get("secret"));
            secrets.add((String) failing.get("secret"));
            Http.Response rotated = http.post("/webhooks/" + ok.get("id") + "/rotate-secret", token, "{}");
            assertEquals(200, rotated.status(), rotated.body());
            secrets.add((String) json(rotated).get("secret"));
            assertEquals(401, http.get("/webhooks", wrongToken).status());
            Http.Response test = http.post("/webhooks/" + ok.get("id") + "/test", token, "{}");
            assertTrue(test.status() < 300, test.body());

            String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
            try (SqsClient sqs = AwsClients.sqs(config())) {
                String url = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"event\":\"agent_completed\",\"tenant\":\"" + tenant
                        + "\",\"id\":\"" + eventId + "\",\"data\":{\"note\":\"" + marker + "\"}}"));
            }
            // delivered to /ok, and to /fail on the third attempt after two 500s (retries every second)
            Eventually.await(Duration.ofSeconds(60), "the event delivered to both webhooks",
                    () -> receiver.requests("/ok").stream().anyMatch(r -> r.body().contains(eventId))
                            && receiver.requests("/fail").stream().filter(r -> r.body().contains(eventId)).count() >= 3);
            Eventually.await(Duration.ofSeconds(30), "the failed attempts logged",
                    () -> text().contains("\"message\":\"attempt failed\""));
        }
        ChildRunner.stop(runner, dataDir);
        runner = null;

        String all = text();
        assertTrue(all.contains("\"message\":\"batch done\""), "the dispatcher's lines are in this output");
        secrets.forEach(secret -> {
            assertTrue(secret.startsWith("whsec_"), secret);
            assertTrue(!all.contains(secret) && !all.contains(secret.substring("whsec_".length())),
                    "a webhook secret in the runner's output");
        });
        for (String t : List.of(token, wrongToken)) {
            assertTrue(!all.contains(t), "a bearer token in the runner's output");
            assertTrue(!all.contains(t.substring(t.lastIndexOf('.') + 1)), "a token's signature in the runner's output");
        }
        assertTrue(!all.contains(JWT_SECRET), "the JWT signing secret in the runner's output");
        assertTrue(!all.contains(marker), "a payload in the runner's output");
    }

    private static Map<String, Object> create(Http http, String token, String url) {
        Http.Response r = http.post("/webhooks", token, "{\"url\":\"" + url + "\",\"events\":[\"agent_completed\"]}");
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

    private String text() {
        synchronized (output) {
            return output.toString();
        }
    }

    private Settings config() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Settings.AWS_ENDPOINT_URL_SQS, "http://127.0.0.1:" + sqsPort);
        m.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, "http://127.0.0.1:" + dynamoPort);
        m.put(Settings.AWS_REGION, "us-east-1");
        return Settings.parse(m);
    }
}
