package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.local.AstraLocalExtension;
import com.astra.webhooks.local.Http;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.DispatcherWiring;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SSRF with {@code ALLOW_PRIVATE_TARGETS=false}, the AWS setting: the real WebhooksHandler and
 * Dispatcher, built in-process with that setting against the shared runner's DynamoDB, refuse
 * every private target in every spelling at create/update (400, nothing stored or changed) and
 * at send time (never contacted, recorded as {@code blocked: private address}). No DNS is used:
 * the only name that needs resolving is one from /etc/hosts.
 */
@ExtendWith(AstraLocalExtension.class)
class PrivateTargetsRefusedTest {

    private static Map<String, String> awsSettings;
    private static WebhooksHandler awsHandler;

    private final String tenant = "t-" + UUID.randomUUID();
    private final String token = AstraLocalExtension.token(tenant);

    @BeforeAll
    static void awsLikeHandler() {
        // The runner's WebhooksFunction environment (table, endpoints, JWT secret); overlay the AWS defaults.
        awsSettings = new HashMap<>(AstraLocalExtension.runner().environment("WebhooksFunction"));
        awsSettings.put(Settings.ALLOW_PRIVATE_TARGETS, "false");
        awsSettings.put(Settings.REQUIRE_HTTPS, "false"); // so that http:// spellings are judged by address, not scheme
        Wiring wiring = new Wiring(Settings.parse(awsSettings));
        awsHandler = new WebhooksHandler(wiring.tokens(), wiring.webhookService(), wiring.dispatchHistory(),
                wiring.testSend(), wiring.catalog(), wiring.secretRotation(), wiring.webhookStats(), wiring.resend(),
                wiring.recovery(), wiring.clock());
    }

    static List<String> privateSpellings() {
        return List.of(
                "http://127.1/", "http://0x7f.0.0.1/", "http://2130706433/", "http://0177.0.0.1/", "http://127.0.0.1:8080/x",
                "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[fd00::1]/",
                "http://0.0.0.0/", "http://0/", "http://[::]/", "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:169.254.169.254]/", "http://0xa9fea9fe/", "http://localhost/", "http://LOCALHOST.:3000/",
                "http://api.localhost/", "http://100.64.0.1/", "http://224.0.0.1/", "http://[ff02::1]/",
                "http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.0.1/", "http://[fe80::1]/",
                "http://255.255.255.255/", "https://127.0.0.1/");
    }

    private ApiResponse call(String method, String path, String id, String body) {
        String routeKey = method + " " + (id == null ? path : path.replace(id, "{id}"));
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", "Bearer " + token);
        headers.put("content-type", "application/json");
        return awsHandler.handle(new ApiRequest(method, path, routeKey, id == null ? Map.of() : Map.of("id", id),
                Map.of(), headers, body), JsonLog.of(null));
    }

    private static String body(String url) {
        return Json.write(Map.of("url", url, "events", "*"));
    }

    @SuppressWarnings("unchecked")
    private static void assertRefusedUrl(ApiResponse r, String url) throws IOException {
        assertEquals(400, r.status(), url + " -> " + r.body());
        Map<String, Object> error = (Map<String, Object>) Json.parseObject(r.body()).get("error");
        assertEquals("validation_error", error.get("code"), r.body());
        List<Map<String, Object>> details = (List<Map<String, Object>>) error.get("details");
        assertEquals("url", details.get(0).get("field"), r.body());
    }

    @ParameterizedTest(name = "create refuses {0}")
    @MethodSource("privateSpellings")
    void createRefusesEveryPrivateSpelling(String url) throws IOException {
        assertRefusedUrl(call("POST", "/webhooks", null, body(url)), url);
        assertEquals("{\"data\":[],\"nextCursor\":null}", call("GET", "/webhooks", null, null).body(), "nothing stored");
    }

    @ParameterizedTest(name = "update refuses {0}")
    @MethodSource("privateSpellings")
    void updateRefusesEveryPrivateSpellingAndLeavesTheWebhookAsItWas(String url) throws IOException {
        ApiResponse created = call("POST", "/webhooks", null, body("http://93.184.216.34/hook"));
        assertEquals(201, created.status(), created.body());
        String id = (String) Json.parseObject(created.body()).get("id");
        String before = call("GET", "/webhooks/" + id, id, null).body();

        assertRefusedUrl(call("PUT", "/webhooks/" + id, id, Json.write(Map.of("url", url))), url);
        assertRefusedUrl(call("PUT", "/webhooks/" + id, id, Json.write(Map.of("url", url, "enabled", false))), url);

        assertEquals(before, call("GET", "/webhooks/" + id, id, null).body(), "unchanged");
    }

    @ParameterizedTest(name = "accepts {0}")
    @ValueSource(strings = {"http://93.184.216.34/hook", "https://8.8.8.8:8443/x", "http://[2606:4700:4700::1111]/",
            "https://[::ffff:8.8.8.8]/", "https://172.32.0.1/", "https://100.128.0.1/", "https://example.com/hook"})
    void publicTargetsAreStillAccepted(String url) throws IOException {
        // example.com needs DNS: where there is none the guard accepts the name and checks again at send time.
        ApiResponse r = call("POST", "/webhooks", null, body(url));
        assertEquals(201, r.status(), url + " -> " + r.body());
        assertEquals(url, Json.parseObject(r.body()).get("url"));
        String id = (String) Json.parseObject(r.body()).get("id");
        assertEquals(200, call("PUT", "/webhooks/" + id, id, Json.write(Map.of("url", url))).status());
    }

    @Test
    void aHostNameThatResolvesToAPrivateAddressIsRefused() throws IOException {
        Optional<String> name = hostsFileNameForAPrivateAddress();
        Assumptions.assumeTrue(name.isPresent(), "no hosts-file name other than localhost points inward here");
        String url = "http://" + name.get() + ":8080/hook";
        assertRefusedUrl(call("POST", "/webhooks", null, body(url)), url);
        String details = call("POST", "/webhooks", null, body(url)).body();
        assertTrue(details.contains("resolves to"), details);
    }

    /**
     * A name from the hosts file the JVM resolves with (the build's test-hosts, else /etc/hosts),
     * not localhost (refused by name), that maps to loopback or a private address.
     */
    private static Optional<String> hostsFileNameForAPrivateAddress() throws IOException {
        Path hosts = Path.of(System.getProperty("jdk.net.hosts.file", "/etc/hosts"));
        if (!Files.isReadable(hosts)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(hosts)) {
            String[] parts = line.replaceAll("#.*", "").trim().split("\\s+");
            if (parts.length < 2 || !(parts[0].startsWith("127.") || parts[0].startsWith("10.")
                    || parts[0].startsWith("192.168.") || parts[0].equals("::1"))) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String n = parts[i].toLowerCase(java.util.Locale.ROOT);
                if (!n.contains("localhost") && n.matches("[a-z0-9.-]+") && !n.matches("[0-9.]+")) {
                    try {
                        if (InetAddress.getByName(n).isLoopbackAddress() || InetAddress.getByName(n).isSiteLocalAddress()) {
                            return Optional.of(n);
                        }
                    } catch (IOException e) {
                        // not resolvable after all
                    }
                }
            }
        }
        return Optional.empty();
    }

    // --- send time ---------------------------------------------------------------------------

    /**
     * Webhooks stored while private targets were allowed (the shared runner's setting), pointing at a
     * live receiver on loopback, in several spellings. A dispatcher with ALLOW_PRIVATE_TARGETS=false
     * must not contact any of them; with true (the control) it must.
     */
    @Test
    void sendTimeCheckBlocksStoredPrivateTargetsAndRecordsWhy() throws Exception {
        Http http = AstraLocalExtension.http();
        try (Receiver receiver = new Receiver()) {
            int port = Integer.parseInt(receiver.url("/").replaceAll(".*:(\\d+)/$", "$1"));
            List<String> targets = List.of(receiver.url("/loopback"), "http://localhost:" + port + "/name",
                    "http://0.0.0.0:" + port + "/unspecified", "http://[::ffff:127.0.0.1]:" + port + "/mapped");
            Map<String, String> idByPath = new HashMap<>();
            for (String url : targets) {
                Http.Response created = http.post("/webhooks", token, body(url));
                assertEquals(201, created.status(), url + " must be storable locally: " + created.body());
                idByPath.put(url.replaceAll("^.*:\\d+", ""), (String) Json.parseObject(created.body()).get("id"));
            }

            Dispatcher blocking = dispatcher(false);
            blocking.process(List.of(new QueueMessage("m-" + UUID.randomUUID(),
                    "{\"event\":\"agent_completed\",\"tenant\":\"" + tenant + "\",\"data\":{\"n\":1}}", Map.of(), 1)));

            for (var e : idByPath.entrySet()) {
                assertEquals(0, receiver.requests(e.getKey()).size(), e.getKey() + " was contacted");
                Http.Response listed = http.get("/webhook-inspector?webhookId=" + e.getValue(), token);
                assertEquals(200, listed.status(), listed.body());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> dispatches = (List<Map<String, Object>>) Json.parseObject(listed.body()).get("data");
                assertEquals(1, dispatches.size(), listed.body());
                assertEquals("failed", dispatches.get(0).get("outcome"), listed.body());
                assertEquals("blocked: private address", dispatches.get(0).get("error"), listed.body());
                assertEquals(null, dispatches.get(0).get("statusCode"), listed.body());
            }

            // Control: the same stored webhooks, the same kind of event, with private targets allowed.
            Dispatcher allowing = dispatcher(true);
            allowing.process(List.of(new QueueMessage("m-" + UUID.randomUUID(),
                    "{\"event\":\"agent_completed\",\"tenant\":\"" + tenant + "\",\"data\":{\"n\":2}}", Map.of(), 1)));
            receiver.await("/loopback", 1, java.time.Duration.ofSeconds(10));
        }
    }

    /** A dispatcher with the given setting, on queues of its own so that its retries never reach the runner's. */
    private static Dispatcher dispatcher(boolean allowPrivateTargets) {
        var sqs = AstraLocalExtension.sqs();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.runner().environment("DispatcherFunction"));
        settings.put(Settings.REQUIRE_HTTPS, "false");
        settings.put(Settings.ALLOW_PRIVATE_TARGETS, Boolean.toString(allowPrivateTargets));
        settings.put(Settings.EVENTS_QUEUE_URL, sqs.createQueue(b -> b.queueName("ssrf-events-" + suffix)).queueUrl());
        settings.put(Settings.DLQ_URL, sqs.createQueue(b -> b.queueName("ssrf-dlq-" + suffix)).queueUrl());
        return DispatcherWiring.dispatcher(new Wiring(Settings.parse(settings)));
    }
}
