package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.config.Settings;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Through the runner, the Lambda runtime's class loading and the real functions jar: each function
 * of template.yaml finds in its environment exactly what its template entry (Globals and its own
 * variables) gives it, plus Lambda's own variables and the runner's local endpoints. A setting a
 * deployed function would not get is not there locally either, so a template entry that loses a
 * variable shows here, not after a deploy.
 */
class TemplateEnvironmentTest {

    private static final Set<String> GLOBALS = Set.of("TABLE_NAME", "RETENTION_DAYS", "ALLOW_PRIVATE_TARGETS",
            "REQUIRE_HTTPS", "JAVA_TOOL_OPTIONS");
    /** The API functions' token settings, and the local HS256 key that stands in for the secret's ARN. */
    private static final Set<String> TOKENS = Set.of("JWT_SECRET_ARN", "JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE",
            "TENANT_CLAIM", "JWT_SECRET");
    private static final Set<String> LAMBDA = Set.of("_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_LOG_LEVEL",
            "TZ");
    /** The runner's additions to every function: the loopback endpoints, and a setting no function declares. */
    private static final Set<String> LOCAL = Set.of("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS", "MAX_CONCURRENCY");
    private static final Map<String, Set<String>> OWN = Map.of(
            "WebhooksFunction", union(TOKENS, Set.of("DELIVERY_TIMEOUT_MS", "EVENTS_QUEUE_URL")),
            "TestModeFunction", union(TOKENS, Set.of("EVENTS_QUEUE_URL")),
            "InspectorFunction", TOKENS,
            "DocsFunction", Set.of("CONSOLE_FRAME_ANCESTORS"),
            "DispatcherFunction", Set.of("RETRY_SCHEDULE", "DISABLE_AFTER", "DELIVERY_TIMEOUT_MS", "EVENTS_QUEUE_URL",
                    "DLQ_URL", "SLOW_QUEUE_URL", "SLOW_AFTER_MS", "EVENTS_FIFO_DLQ_URL", "ORDERED_QUEUE_URL"));

    @TempDir
    Path dir;

    @Test
    void eachFunctionFindsExactlyWhatItsTemplateEntryGivesIt() throws Exception {
        Path template = template(t -> { });
        try (LocalRunner runner = LocalRunner.start(probes(template))) {
            assertEquals(OWN.keySet(), Set.copyOf(TemplateModel.load(template).functions().stream()
                    .map(TemplateModel.Function::name).toList()));
            for (var entry : OWN.entrySet()) {
                String function = entry.getKey();
                Map<String, Object> seen = seen(runner, function);
                @SuppressWarnings("unchecked") Map<String, Object> env = (Map<String, Object>) seen.get("environment");
                Set<String> expected = union(union(GLOBALS, entry.getValue()), union(LAMBDA, LOCAL));
                expected.addAll(credentialsInThisEnvironment());
                assertEquals(expected, env.keySet(), function);
                assertEquals(runner.environment(function), env, function);
                assertEquals(function, env.get("AWS_LAMBDA_FUNCTION_NAME"));
                assertEquals(8, ((Number) seen.get("deliveryThreads")).intValue(), function);
            }
            // the user's retry schedule and delivery timeout reach the functions that declare them, and no other
            Map<String, Object> dispatcher = seen(runner, "DispatcherFunction");
            assertEquals(2000, ((Number) dispatcher.get("deliveryTimeoutMs")).intValue());
            assertEquals("1s,1s,1s,1s,1s,1s,1s", environment(dispatcher).get("RETRY_SCHEDULE"));
            assertEquals(runner.eventsQueueUrl(), environment(dispatcher).get("EVENTS_QUEUE_URL"));
            assertEquals(runner.dlqUrl(), environment(dispatcher).get("DLQ_URL"));
            assertEquals("5d", environment(dispatcher).get("DISABLE_AFTER"), "the parameter's default");
            assertEquals(false, dispatcher.get("jwtSecret"), "the dispatcher verifies no tokens");
            assertEquals(2000, ((Number) seen(runner, "WebhooksFunction").get("deliveryTimeoutMs")).intValue());
            Map<String, Object> testMode = seen(runner, "TestModeFunction");
            assertEquals(Settings.DEFAULT_DELIVERY_TIMEOUT_MS, ((Number) testMode.get("deliveryTimeoutMs")).intValue());
            assertEquals(true, testMode.get("jwtSecret"));
            assertEquals("", environment(testMode).get("JWT_SECRET_ARN"), "no Secrets Manager locally: the ARN is empty and JWT_SECRET stands in");
            assertEquals("sub", environment(testMode).get("TENANT_CLAIM"));
            for (String name : Settings.NAMES) {
                assertNull(System.getProperty(name), "the runner sets no system property " + name);
            }
        }
    }

    @Test
    void aFunctionWhoseEntryLosesASettingRunsWithTheDefaultAsOnLambda() throws Exception {
        Path template = template(t -> variables(t, "DispatcherFunction").remove("DELIVERY_TIMEOUT_MS"));
        try (LocalRunner runner = LocalRunner.start(probes(template))) {
            Map<String, Object> dispatcher = seen(runner, "DispatcherFunction");
            assertFalse(environment(dispatcher).containsKey("DELIVERY_TIMEOUT_MS"));
            assertEquals(Settings.DEFAULT_DELIVERY_TIMEOUT_MS, ((Number) dispatcher.get("deliveryTimeoutMs")).intValue(),
                    "the user's 2000 must not reach a function whose entry does not declare it");
            assertEquals(2000, ((Number) seen(runner, "WebhooksFunction").get("deliveryTimeoutMs")).intValue());
        }
    }

    @Test
    void aFunctionWhoseEntryLosesAVariableItNeedsFailsItsInitAsOnLambda() throws Exception {
        Path template = template(t -> variables(t, "WebhooksFunction").remove("EVENTS_QUEUE_URL"));
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .template(template).settings(AstraLocalExtension.TEST_SETTINGS))) {
            Http http = Http.unchecked(runner.httpUrl());
            String token = runner.token("env-test");
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Http.Response response;
            try {
                response = http.get("/event-types", token);
            } finally {
                System.setErr(original);
            }
            assertEquals(502, response.status(), response.body());
            assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
            String log = err.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("WebhooksFunction init failed") && log.contains("EVENTS_QUEUE_URL is not set"), log);
            // the other functions are whole: only the entry that lost its variable fails
            assertEquals(200, http.get("/webhooks/test-mode", token).status());
        }
    }

    /** The real template.yaml, edited, written where the runner can read it. */
    private Path template(Consumer<TemplateModel> edit) throws IOException {
        TemplateModel t = TemplateModel.parse(Files.readString(Path.of("../template.yaml")));
        edit.accept(t);
        Path file = Files.createTempFile(dir, "template", ".yaml");
        Files.writeString(file, new Yaml().dump(t.root()));
        return file;
    }

    private static Map<String, Object> variables(TemplateModel t, String function) {
        return TemplateModel.map(TemplateModel.map(t.properties(function).get("Environment")).get("Variables"));
    }

    /** A runner on {@code template} with every handler swapped for {@link EnvironmentProbe}; the variables untouched. */
    private RunnerOptions probes(Path template) throws IOException {
        TemplateModel t = TemplateModel.load(template);
        t.functions().forEach(f -> t.properties(f.name()).put("Handler", EnvironmentProbe.class.getName() + "::handleRequest"));
        Files.writeString(template, new Yaml().dump(t.root()));
        Map<String, String> user = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        user.put(Settings.MAX_CONCURRENCY, "8");
        return RunnerOptions.defaults().freePorts().inMemory(true).pollers(0).template(template)
                .code(StubStack.code()).settings(user);
    }

    private static Map<String, Object> seen(LocalRunner runner, String function) throws Exception {
        return JSON.std.mapFrom(runner.invoke(function, "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> seen) {
        return (Map<String, Object>) seen.get("environment");
    }

    private static Set<String> credentialsInThisEnvironment() {
        return new HashSet<>(FunctionEnvironment.CREDENTIALS.stream()
                .filter(name -> System.getenv(name) != null && !System.getenv(name).isBlank()).toList());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
