package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every function of template.yaml, loaded from the shaded astra-functions.jar alone by the Lambda
 * runtime interface client and invoked with the sample events in events/ as JSON bytes, exactly
 * as Lambda does on AWS. A jar that lacks a class a handler or the runtime needs, or a handler
 * that cannot initialise, fails here, not after a deploy.
 */
@ExtendWith(AstraLocalExtension.class)
class LambdaJarTest {

    private static final Path EVENTS = Path.of("../events");
    /** The samples each function is invoked with; every function of the template needs one. */
    private static final Map<String, List<String>> SAMPLES = Map.of(
            "WebhooksFunction", List.of("create-webhook.apigw.json", "list-webhooks.apigw.json"),
            "TestModeFunction", List.of("get-test-mode.apigw.json"),
            "InspectorFunction", List.of("list-dispatches.apigw.json"),
            "DocsFunction", List.of("get-openapi.apigw.json"),
            "DispatcherFunction", List.of("dispatcher-batch.sqs.json"));

    static final TemplateModel TEMPLATE = TemplateModel.bundled();
    static LambdaHandlers functions;

    @BeforeAll
    static void sandboxes() {
        LocalRunner runner = AstraLocalExtension.runner(); // the emulators the handlers' constructors reach
        Map<String, Map<String, String>> environments = TEMPLATE.functions().stream().collect(Collectors.toMap(
                TemplateModel.Function::name, f -> runner.environment(f.name())));
        functions = new LambdaHandlers(TEMPLATE, LambdaCode.bundled(), environments);
    }

    @AfterAll
    static void close() {
        functions.close();
    }

    @Test
    void everyFunctionOfTheTemplateHasASample() {
        assertEquals(SAMPLES.keySet(), TEMPLATE.functions().stream().map(TemplateModel.Function::name).collect(Collectors.toSet()));
    }

    @Test
    void apiSamplesAnswerThroughTheRuntimesSerializer() throws Exception {
        String token = AstraLocalExtension.token("sample-tenant");
        for (var entry : SAMPLES.entrySet()) {
            for (String sample : entry.getValue()) {
                if (!sample.endsWith(".apigw.json")) {
                    continue;
                }
                String event = Files.readString(EVENTS.resolve(sample)).replace("REPLACE_WITH_TOKEN", token);
                Map<String, Object> response = JSON.std.mapFrom(functions.invoke(entry.getKey(), event.getBytes(StandardCharsets.UTF_8)));
                int status = ((Number) response.get("statusCode")).intValue();
                assertEquals(sample.startsWith("create-") ? 201 : 200, status, sample + " -> " + response);
                @SuppressWarnings("unchecked") Map<String, Object> headers = (Map<String, Object>) response.get("headers");
                assertTrue(headers.entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("content-type")
                        && String.valueOf(h.getValue()).startsWith("application/json")), sample + " " + headers);
                assertInstanceOf(Map.class, JSON.std.anyFrom((String) response.get("body")), sample);
            }
        }
    }

    @Test
    void sqsSampleGetsABatchResponseFromTheDispatcher() throws Exception {
        byte[] event = Files.readAllBytes(EVENTS.resolve("dispatcher-batch.sqs.json"));
        Map<String, Object> response = JSON.std.mapFrom(functions.invoke("DispatcherFunction", event));
        assertInstanceOf(List.class, response.get("batchItemFailures"), response.toString());
        @SuppressWarnings("unchecked") List<Map<String, Object>> records =
                (List<Map<String, Object>>) JSON.std.mapFrom(event).get("Records");
        Set<Object> ids = records.stream().map(r -> r.get("messageId")).collect(Collectors.toSet());
        for (Object failure : (List<?>) response.get("batchItemFailures")) {
            assertTrue(ids.contains(((Map<?, ?>) failure).get("itemIdentifier")), response.toString());
        }
    }

    @Test
    void theLambdaJarHoldsNoTestCode() throws IOException {
        // functions also attaches its test classes (the test kit) as a test-jar; only main classes are shaded
        for (Path jar : LambdaCode.bundled().function()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                List<String> testClasses = file.stream().map(JarEntry::getName)
                        .filter(n -> n.startsWith("com/astra/webhooks/") && (n.endsWith("Test.class")
                                || n.startsWith("com/astra/webhooks/local/") || n.startsWith("com/astra/webhooks/testing/")))
                        .toList();
                assertEquals(List.of(), testClasses, jar.toString());
            }
        }
    }

    @Test
    void everyHandlerNamesItsHandlerInterfaceItselfSoTheSnapStartRulesCheckIt() throws ClassNotFoundException {
        // aws-lambda-snapstart-java-rules skip a class that only inherits RequestStreamHandler (checked:
        // a static Random in WebhooksHandler passed `mvn verify` while it extended ApiHandler alone)
        for (TemplateModel.Function f : TEMPLATE.functions()) {
            Class<?> handler = Class.forName(LambdaHandlers.className(f.handler()));
            Set<String> named = Arrays.stream(handler.getInterfaces()).map(Class::getName).collect(Collectors.toSet());
            assertTrue(named.contains("com.amazonaws.services.lambda.runtime.RequestStreamHandler")
                    || named.contains("com.amazonaws.services.lambda.runtime.RequestHandler"), f.name() + ": " + named);
        }
    }

    @Test
    void theLambdaJarsEntriesAreStoredSoAColdStartInflatesNothing() throws IOException {
        // tools/StoredJar.java rewrites the shaded jar in the package phase (docs/cold-start.md)
        for (Path jar : LambdaCode.bundled().function()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                List<String> deflated = file.stream().filter(e -> e.getMethod() != JarEntry.STORED)
                        .map(JarEntry::getName).limit(5).toList();
                assertEquals(List.of(), deflated, jar.toString());
                assertTrue(file.getEntry("com/astra/webhooks/api/WebhooksHandler.class") != null, jar.toString());
            }
        }
    }

    @Test
    void theRunnersOwnClassesAreInvisibleToAFunction() {
        // StubApiHandler is on this test's class path but not in the jar: Lambda would not find it either
        var stub = new TemplateModel.Function("Stub", StubApiHandler.class.getName() + "::handleRequest", 3, 128);
        try (LambdaFunction function = new LambdaFunction(stub, LambdaCode.bundled(), Map.of())) {
            var error = assertThrows(LambdaFunction.FunctionError.class, () -> function.invoke("{}".getBytes(StandardCharsets.UTF_8)));
            assertTrue(error.getMessage().contains("ClassNotFoundException"), error.getMessage());
        }
    }
}
