package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** template.yaml's variables resolved per function as CloudFormation and Lambda would, plus the runner's additions. */
class FunctionEnvironmentTest {

    private static final TemplateModel TEMPLATE = TemplateModel.bundled();
    private static final FunctionEnvironment.Local LOCAL = new FunctionEnvironment.Local(
            Map.of("AstraTable", "astra-webhooks", "EventsQueue", "http://sqs/q/astra-events",
                    "EventsDeadLetterQueue", "http://sqs/q/astra-events-dlq", "SlowLaneQueue", "http://sqs/q/astra-slow-lane",
                    "SlowLaneDeadLetterQueue", "http://sqs/q/astra-slow-lane-dlq", "JwtSecretStore", "",
                    "OrderedFifoQueue", "http://sqs/q/astra-ordered.fifo",
                    "EventsFifoDeadLetterQueue", "http://sqs/q/astra-events-dlq.fifo"),
            Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000", "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"),
            Map.of(), "eu-west-1");
    private static final String JIT = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
            + " -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -Dhttp.maxConnections=128";

    /** The variables a function's configuration holds (what Lambda's console would list), without the runner's and Lambda's own. */
    private static Map<String, String> configured(String function, Map<String, String> user) {
        Map<String, String> env = new LinkedHashMap<>(new FunctionEnvironment(TEMPLATE, user).of(function, LOCAL));
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("_") || name.equals("TZ"));
        return env;
    }

    @Test
    void theDispatcherGetsTheGlobalsAndItsOwnVariablesWithParameterDefaults() {
        Map<String, String> expected = new LinkedHashMap<>(Map.of(
                        "TABLE_NAME", "astra-webhooks",
                        "RETENTION_DAYS", "30",
                        "ALLOW_PRIVATE_TARGETS", "false",
                        "REQUIRE_HTTPS", "true",
                        "JAVA_TOOL_OPTIONS", JIT,
                        "RETRY_SCHEDULE", "5s,5m,30m,2h,5h,10h,10h",
                        "DISABLE_AFTER", "5d",
                        "DELIVERY_TIMEOUT_MS", "10000",
                        "EVENTS_QUEUE_URL", "http://sqs/q/astra-events",
                        "DLQ_URL", "http://sqs/q/astra-events-dlq"));
        expected.put("SLOW_QUEUE_URL", "http://sqs/q/astra-slow-lane");
        expected.put("SLOW_AFTER_MS", "1000");
        expected.put("ORDERED_QUEUE_URL", "http://sqs/q/astra-ordered.fifo");
        expected.put("EVENTS_FIFO_DLQ_URL", "http://sqs/q/astra-events-dlq.fifo");
        assertEquals(expected, configured("DispatcherFunction", Map.of()));
    }

    @Test
    void anApiFunctionsSecretArnIsEmptyLocallyAndTheLocalKeyStandsIn() {
        Map<String, String> expected = new LinkedHashMap<>(Map.of(
                "TABLE_NAME", "astra-webhooks",
                "RETENTION_DAYS", "30",
                "ALLOW_PRIVATE_TARGETS", "true",
                "REQUIRE_HTTPS", "false",
                "JAVA_TOOL_OPTIONS", JIT,
                "JWT_SECRET_ARN", "",
                "JWKS_URL", "",
                "JWT_ISSUER", "",
                "JWT_AUDIENCE", "",
                "TENANT_CLAIM", "sub"));
        expected.put("EVENTS_QUEUE_URL", "http://sqs/q/astra-events"); // a long clear continues on the queue
        expected.put("JWT_SECRET", "k");
        assertEquals(expected, configured("TestModeFunction",
                Map.of("JWT_SECRET", "k", "ALLOW_PRIVATE_TARGETS", "true", "REQUIRE_HTTPS", "false")));
    }

    @Test
    void aUserSettingReachesOnlyTheFunctionsThatDeclareIt() {
        Map<String, String> user = Map.of("RETRY_SCHEDULE", "1s,1s", "DELIVERY_TIMEOUT_MS", "2000", "JWT_SECRET", "k");
        assertEquals("1s,1s", configured("DispatcherFunction", user).get("RETRY_SCHEDULE"));
        assertEquals("2000", configured("DispatcherFunction", user).get("DELIVERY_TIMEOUT_MS"));
        assertEquals("2000", configured("WebhooksFunction", user).get("DELIVERY_TIMEOUT_MS"));
        for (String other : new String[] {"WebhooksFunction", "TestModeFunction", "InspectorFunction", "DocsFunction"}) {
            assertFalse(configured(other, user).containsKey("RETRY_SCHEDULE"), other);
        }
        for (String other : new String[] {"TestModeFunction", "InspectorFunction", "DocsFunction"}) {
            assertFalse(configured(other, user).containsKey("DELIVERY_TIMEOUT_MS"), other);
        }
        // the HS256 key stands in for JWT_SECRET_ARN, so only the functions that verify tokens get it
        assertFalse(configured("DispatcherFunction", user).containsKey("JWT_SECRET"));
        assertFalse(configured("DocsFunction", user).containsKey("JWT_SECRET"));
    }

    @Test
    void aSettingNoFunctionDeclaresGoesToEveryFunctionButTheStacksResourcesStayTheRunners() {
        Map<String, String> user = Map.of("EVENT_TYPES", "a.b", "MAX_CONCURRENCY", "8", "TABLE_NAME", "someone-elses",
                "EVENTS_QUEUE_URL", "http://elsewhere/q", "AWS_REGION", "ap-south-1");
        FunctionEnvironment environment = new FunctionEnvironment(TEMPLATE, user);
        assertEquals(Set.of("EVENT_TYPES", "MAX_CONCURRENCY"), environment.undeclared());
        for (TemplateModel.Function f : TEMPLATE.functions()) {
            Map<String, String> env = environment.of(f.name(), LOCAL);
            assertEquals("a.b", env.get("EVENT_TYPES"), f.name());
            assertEquals("8", env.get("MAX_CONCURRENCY"), f.name());
            assertEquals("astra-webhooks", env.get("TABLE_NAME"), f.name());
            assertEquals("eu-west-1", env.get("AWS_REGION"), "the region is the runner's: " + f.name());
        }
        assertEquals("http://sqs/q/astra-events", environment.of("WebhooksFunction", LOCAL).get("EVENTS_QUEUE_URL"));
        assertFalse(environment.of("InspectorFunction", LOCAL).containsKey("EVENTS_QUEUE_URL"));
    }

    @Test
    void lambdasOwnVariablesAndTheLocalEndpointsAreAdded() {
        Map<String, String> docs = new FunctionEnvironment(TEMPLATE, Map.of()).of("DocsFunction", LOCAL);
        assertEquals("com.astra.webhooks.api.DocsHandler::handleRequest", docs.get("_HANDLER"));
        assertEquals("DocsFunction", docs.get("AWS_LAMBDA_FUNCTION_NAME"));
        assertEquals("512", docs.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        assertEquals("$LATEST", docs.get("AWS_LAMBDA_FUNCTION_VERSION"));
        assertEquals("JSON", docs.get("AWS_LAMBDA_LOG_FORMAT"));
        assertEquals("AWS_Lambda_java21", docs.get("AWS_EXECUTION_ENV"));
        assertEquals("eu-west-1", docs.get("AWS_DEFAULT_REGION"));
        assertEquals(":UTC", docs.get("TZ"));
        assertEquals("http://127.0.0.1:8000", docs.get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals("http://127.0.0.1:9324", docs.get("AWS_ENDPOINT_URL_SQS"));
        assertEquals("1024", new FunctionEnvironment(TEMPLATE, Map.of()).of("DispatcherFunction", LOCAL)
                .get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DELIVERY_TIMEOUT_MS|30000|a number from 100 to 25000 (template parameter DeliveryTimeoutMs)",
            "DELIVERY_TIMEOUT_MS|50|a number from 100 to 25000 (template parameter DeliveryTimeoutMs)",
            "RETENTION_DAYS|3651|a number from 1 to 3650 (template parameter RetentionDays)",
            "TENANT_CLAIM|a-claim-longer-than-twenty|at least 1 and at most 20 characters (template parameter TenantClaim)",
            "JWKS_URL|http://idp.example.com/jwks.json|an https:// URL of at most 96 characters, or empty (template parameter JwksUrl)",
            "JWT_ISSUER|has space|a value matching ^\\S*$ (template parameter JwtIssuer)",
            "DISABLE_AFTER|5 days|'a value matching ^[0-9]+(ms|s|m|h|d)$ (template parameter DisableAfter)'"})
    void aValueTheParameterRefusesStopsTheRunnerNamingTheVariable(String name, String value, String accepted) {
        var e = assertThrows(LocalRunner.StartupException.class, () -> new FunctionEnvironment(TEMPLATE, Map.of(name, value)));
        assertEquals(name + "=" + value + " is not valid; expected " + accepted, e.getMessage());
    }

    @Test
    void aLoopbackHttpUrlPassesAnHttpsOnlyPatternLocally() {
        String jwks = "http://127.0.0.1:8443/jwks.json";
        assertEquals(jwks, configured("InspectorFunction", Map.of("JWKS_URL", jwks)).get("JWKS_URL"));
    }

    @Test
    void allowedValuesAreEnforced() {
        TemplateModel t = TemplateModel.parse("""
                Parameters:
                  Level: {Type: String, Default: info, AllowedValues: [info, debug]}
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Environment: {Variables: {LEVEL: {Ref: Level}}}
                """);
        assertEquals("debug", new FunctionEnvironment(t, Map.of("LEVEL", "debug")).of("F", LOCAL).get("LEVEL"));
        var e = assertThrows(LocalRunner.StartupException.class, () -> new FunctionEnvironment(t, Map.of("LEVEL", "trace")));
        assertEquals("LEVEL=trace is not valid; expected one of [info, debug] (template parameter Level)", e.getMessage());
    }

    @Test
    void aTemplateLambdaWouldRefuseStopsTheRunner() {
        var reserved = assertThrows(LocalRunner.StartupException.class, () -> new FunctionEnvironment(function(
                "{AWS_REGION: eu-west-1}"), Map.of()));
        assertEquals("F sets environment variable AWS_REGION; Lambda refuses a reserved name", reserved.getMessage());
        var tooBig = assertThrows(LocalRunner.StartupException.class, () -> new FunctionEnvironment(function(
                "{BIG: " + "x".repeat(4094) + "}"), Map.of()).of("F", LOCAL));
        assertEquals("F: its environment variables take 4097 bytes; Lambda allows 4096", tooBig.getMessage());
        var sub = assertThrows(LocalRunner.StartupException.class, () -> new FunctionEnvironment(function(
                "{URL: {Fn::Sub: 'https://${AWS::Region}'}}"), Map.of()).of("F", LOCAL));
        assertTrue(sub.getMessage().startsWith("F: URL uses [Fn::Sub], which the runner does not resolve"), sub.getMessage());
        var missing = assertThrows(LocalRunner.StartupException.class, () -> new FunctionEnvironment(function(
                "{BUCKET: {Ref: Bucket}}"), Map.of()).of("F", LOCAL));
        assertEquals("F: BUCKET refers to Bucket, which the runner does not create", missing.getMessage());
    }

    private static TemplateModel function(String variables) {
        return TemplateModel.parse("""
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Environment: {Variables: %s}
                """.formatted(variables));
    }
}
