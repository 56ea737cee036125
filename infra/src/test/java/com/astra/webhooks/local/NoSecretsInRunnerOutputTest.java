package com.astra.webhooks.local;

import static com.astra.webhooks.local.WebhookApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.store.dynamodb.TableLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Everything a runner prints (its own lines and every function's log records, stdout and stderr
 * of a child JVM) holds none of the secrets and tokens a tenant's session created, nor a payload:
 * webhooks created (signing with both schemes, and with Ed25519 alone), a secret and key pair
 * rotated, deliveries that succeed, fail and are retried, a test send, a request refused for a
 * wrong token. The Ed25519 private keys, which no response shows, are read from the table.
 */
class NoSecretsInRunnerOutputTest {

    private static final String JWT_SECRET = "jwt-secret-" + UUID.randomUUID();

    @RegisterExtension
    final ChildRunner child = new ChildRunner();

    @Test
    void theRunnersWholeOutputHoldsNoSecretTokenOrPayload() throws Exception {
        String tenant = "t-secrets";
        String token = TokenIssuer.issueHs256(JWT_SECRET, tenant, Duration.ofHours(1));
        String wrongToken = TokenIssuer.issueHs256("not-the-secret", tenant, Duration.ofHours(1));
        String marker = "payload-marker-" + UUID.randomUUID();
        List<String> secrets = new ArrayList<>();
        List<String> privateKeys = new ArrayList<>();
        try (Receiver receiver = new Receiver()) {
            receiver.script("/fail", Receiver.Answer.status(500), Receiver.Answer.status(500));
            child.startDelivering(JWT_SECRET);
            Http http = child.http();
            Map<String, Object> ok = create(http, token, receiver.url("/ok"), "both");
            Map<String, Object> failing = create(http, token, receiver.url("/fail"), "ed25519");
            secrets.add((String) ok.get("secret"));
            secrets.add((String) failing.get("secret"));
            Http.Response rotated = http.post("/webhooks/" + ok.get("id") + "/rotate-secret", token, "{}");
            assertEquals(200, rotated.status(), rotated.body());
            secrets.add((String) json(rotated).get("secret"));
            assertEquals(401, http.get("/webhooks", wrongToken).status());
            Http.Response test = http.post("/webhooks/" + ok.get("id") + "/test", token, "{}");
            assertTrue(test.status() < 300, test.body());

            String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
            try (SqsClient sqs = AwsClients.sqs(child.clientSettings())) {
                String url = sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE)).queueUrl();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"event\":\"agent_completed\",\"tenant\":\"" + tenant
                        + "\",\"id\":\"" + eventId + "\",\"data\":{\"note\":\"" + marker + "\"}}"));
            }
            // delivered to /ok, and to /fail on the third attempt after two 500s (retries every second)
            Eventually.await(Duration.ofSeconds(60), "the event delivered to both webhooks",
                    () -> receiver.requests("/ok").stream().anyMatch(r -> r.body().contains(eventId))
                            && receiver.requests("/fail").stream().filter(r -> r.body().contains(eventId)).count() >= 3);
            Eventually.await(Duration.ofSeconds(30), "the failed attempts logged",
                    () -> child.output().contains("\"message\":\"attempt failed\""));
            try (DynamoDbClient dynamo = AwsClients.dynamoDb(child.clientSettings())) {
                for (Object id : List.of(ok.get("id"), failing.get("id"))) {
                    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(LocalRunner.TABLE_NAME)
                            .key(Map.of(TableLayout.PK, AttributeValue.fromS(TableLayout.tenantKey(tenant)),
                                    TableLayout.SK, AttributeValue.fromS(TableLayout.webhookSortKey((String) id))))).item();
                    for (String name : List.of("signingKey", "previousSigningKey")) {
                        if (item.containsKey(name)) {
                            privateKeys.add(item.get(name).s());
                        }
                    }
                }
            }
        }
        // stopped before reading: the runner's last lines (shutdown, its functions' final flush) count too
        child.stop();

        String all = child.output();
        assertTrue(all.contains("\"message\":\"batch done\""), "the dispatcher's lines are in this output");
        secrets.forEach(secret -> {
            assertTrue(secret.startsWith("whsec_"), secret);
            assertTrue(!all.contains(secret) && !all.contains(secret.substring("whsec_".length())),
                    "a webhook secret in the runner's output");
        });
        assertEquals(3, privateKeys.size(), "both webhooks' keys and the rotated one's previous key");
        privateKeys.forEach(key -> {
            assertTrue(key.startsWith("whsk_"));
            assertTrue(!all.contains(key.substring("whsk_".length())), "an Ed25519 private key in the runner's output");
        });
        assertTrue(!all.contains("whsk_"), "an Ed25519 private key in the runner's output");
        for (String t : List.of(token, wrongToken)) {
            assertTrue(!all.contains(t), "a bearer token in the runner's output");
            assertTrue(!all.contains(t.substring(t.lastIndexOf('.') + 1)), "a token's signature in the runner's output");
        }
        assertTrue(!all.contains(JWT_SECRET), "the JWT signing secret in the runner's output");
        assertTrue(!all.contains(marker), "a payload in the runner's output");
    }

    private static Map<String, Object> create(Http http, String token, String url, String signing) {
        Http.Response r = http.post("/webhooks", token, "{\"url\":\"" + url + "\",\"events\":[\"agent_completed\"],"
                + "\"signing\":\"" + signing + "\"}");
        assertEquals(201, r.status(), r.body());
        return json(r);
    }

}
