package com.astra.webhooks.local;

import static com.astra.webhooks.local.TemplateModel.list;
import static com.astra.webhooks.local.TemplateModel.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The deployable shape DESIGN.md promises, checked on the template the runner bundles. */
class TemplateStructureTest {

    static final TemplateModel T = TemplateModel.bundled();

    @Test
    void isASamTemplateWithAnHttpApi() {
        assertEquals("AWS::Serverless-2016-10-31", T.root().get("Transform"));
        assertEquals(1, T.resourcesOfType("AWS::Serverless::HttpApi").size());
    }

    @Test
    void functionsRunJava21OnArm64WithSnapStart() {
        Map<String, Object> g = T.globalFunction();
        assertEquals("java21", g.get("Runtime"));
        assertEquals(List.of("arm64"), g.get("Architectures"));
        assertEquals("PublishedVersions", map(g.get("SnapStart")).get("ApplyOn"));
        assertNotNull(g.get("AutoPublishAlias"), "SnapStart applies to published versions");
        for (var f : T.functions()) {
            Map<String, Object> p = T.properties(f.name());
            assertFalse(p.containsKey("Runtime") && !"java21".equals(p.get("Runtime")), f.name());
            assertFalse(p.containsKey("Architectures") && !List.of("arm64").equals(p.get("Architectures")), f.name());
            assertTrue(f.handler().matches("com\\.astra\\.webhooks(\\.[a-z][a-z0-9]*)+\\.[A-Z][A-Za-z0-9]*::handleRequest"),
                    f.name() + " handler " + f.handler());
        }
    }

    @Test
    void dispatcherHasAnSqsEventWithPartialBatchFailures() {
        var source = T.sqsSource().orElseThrow();
        assertEquals("DispatcherFunction", source.functionName());
        assertTrue(source.reportsBatchItemFailures());
        Map<String, Object> props = map(map(T.events("DispatcherFunction").values().stream()
                .filter(e -> "SQS".equals(map(e).get("Type"))).findFirst().orElseThrow()).get("Properties"));
        assertParameter(props.get("BatchSize"));
        assertParameter(props.get("MaximumBatchingWindowInSeconds"));
        assertEquals("EventsQueue", source.queueResource());
    }

    @Test
    void eventsQueueOutlastsTheDispatcherAndRedrivesToTheDlq() {
        Map<String, Object> q = T.properties("EventsQueue");
        int dispatcherTimeout = T.function("DispatcherFunction").timeoutSeconds();
        assertTrue(T.intValue(q.get("VisibilityTimeout")) >= 6 * dispatcherTimeout,
                "VisibilityTimeout " + q.get("VisibilityTimeout") + " vs timeout " + dispatcherTimeout);
        Map<String, Object> redrive = map(q.get("RedrivePolicy"));
        String dlq = TemplateModel.referencedResource(redrive.get("deadLetterTargetArn"));
        assertEquals("AWS::SQS::Queue", T.resource(dlq).get("Type"));
        assertTrue(T.intValue(redrive.get("maxReceiveCount")) >= 1);
    }

    @Test
    void tableHasTtlAndThreeIndexes() {
        var tables = T.resourcesOfType("AWS::DynamoDB::Table");
        assertEquals(1, tables.size());
        Map<String, Object> p = T.properties(tables.get(0));
        assertEquals("PAY_PER_REQUEST", p.get("BillingMode"));
        assertEquals(Boolean.TRUE, map(p.get("TimeToLiveSpecification")).get("Enabled"));
        assertNotNull(map(p.get("TimeToLiveSpecification")).get("AttributeName"));
        Set<String> indexes = list(p.get("GlobalSecondaryIndexes")).stream()
                .map(g -> String.valueOf(map(g).get("IndexName"))).collect(Collectors.toSet());
        assertEquals(Set.of("gsi1"), indexes);
        list(p.get("GlobalSecondaryIndexes")).forEach(g -> assertNotNull(map(map(g).get("Projection")).get("ProjectionType")));
    }

    @Test
    void jwtSecretIsNoEcho() {
        Map<String, Object> secret = map(map(T.root().get("Parameters")).get("JwtSecret"));
        assertEquals(Boolean.TRUE, secret.get("NoEcho"));
    }

    @Test
    void everyFunctionHasALogGroupWithRetention() {
        var logGroups = T.resourcesOfType("AWS::Logs::LogGroup");
        for (var f : T.functions()) {
            boolean covered = logGroups.stream().map(T::properties).anyMatch(p ->
                    String.valueOf(p.get("LogGroupName")).contains("${" + f.name() + "}") && p.get("RetentionInDays") != null);
            assertTrue(covered, "log group with retention for " + f.name());
        }
    }

    private static void assertParameter(Object value) {
        assertTrue(value instanceof Map<?, ?> m && m.containsKey("Ref")
                && map(T.root().get("Parameters")).containsKey(String.valueOf(m.get("Ref"))), "parameter ref: " + value);
    }
}
