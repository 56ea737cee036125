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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void everyDeliveryThreadKeepsItsDynamoDbConnectionAlive() {
        String options = (String) map(map(T.globalFunction().get("Environment")).get("Variables")).get("JAVA_TOOL_OPTIONS");
        var m = Pattern.compile("-Dhttp\\.maxConnections=(\\d+)").matcher(options);
        assertTrue(m.find(), "JAVA_TOOL_OPTIONS sets http.maxConnections: " + options);
        assertTrue(Integer.parseInt(m.group(1)) >= com.astra.webhooks.config.Settings.DEFAULT_DELIVERY_THREADS,
                "idle connections kept per host >= the dispatcher's threads: " + options);
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

    /**
     * SAM CLI's guided deploy prompts for every parameter; a NoEcho one is asked with no default and
     * asked again on an empty answer, so a fresh account could not accept the defaults.
     */
    @Test
    void aGuidedDeployAcceptsEveryDefault() {
        map(T.root().get("Parameters")).forEach((name, value) -> {
            assertTrue(map(value).containsKey("Default"), name + " has no default");
            assertFalse(Boolean.TRUE.equals(map(value).get("NoEcho")), name + " is NoEcho: guided mode insists on a value");
        });
        assertFalse(T.root().containsKey("Rules"), "every parameter combination deploys");
        // SAM CLI's guided check (samcli/commands/deploy/auth_utils.py) asks "[y/N]" for every HttpApi
        // event unless the event or the API it names has an Auth block: the API states its choice
        Map<String, Object> auth = map(T.properties("HttpApi").get("Auth"));
        assertEquals(Map.of("EnableIamAuthorizer", false), auth, "authentication is the functions' own");
        for (var f : T.functions()) {
            map(T.properties(f.name()).get("Events")).forEach((name, event) -> {
                if ("HttpApi".equals(map(event).get("Type"))) {
                    assertEquals("HttpApi", TemplateModel.referencedResource(map(map(event).get("Properties")).get("ApiId")),
                            f.name() + " " + name + " is on the API whose Auth SAM CLI reads");
                }
            });
        }
    }

    @Test
    void withoutAJwksUrlTheStackGeneratesTheHs256KeyAndKeepsItOutOfTheEnvironment() {
        assertEquals("{Fn::Equals=[{Ref=JwksUrl}, ]}", String.valueOf(map(T.root().get("Conditions")).get("UsesHs256")));
        Map<String, Object> store = T.resource("JwtSecretStore");
        assertEquals("AWS::SecretsManager::Secret", store.get("Type"));
        assertEquals("UsesHs256", store.get("Condition"));
        Map<String, Object> generate = map(T.properties("JwtSecretStore").get("GenerateSecretString"));
        assertTrue(T.intValue(generate.get("PasswordLength")) >= 32, "HS256 wants at least 256 bits: " + generate);
        assertFalse(T.properties("JwtSecretStore").containsKey("SecretString"), "no key travels as a parameter");
        Map<String, Object> output = map(map(T.root().get("Outputs")).get("JwtSecretArn"));
        assertEquals("UsesHs256", output.get("Condition"));
        assertEquals("JwtSecretStore", TemplateModel.referencedResource(output.get("Value")));
        for (var f : T.functions()) {
            assertFalse(environment(f.name()).containsKey("JWT_SECRET"),
                    f.name() + ": a plain env var is readable with lambda:GetFunctionConfiguration");
        }
        for (var route : T.httpRoutes()) {
            if (route.path().equals("/console") || route.path().equals("/openapi.json")) {
                // the two routes DESIGN.md serves without a token: their function holds no key at all
                assertFalse(environment(route.functionName()).containsKey("JWT_SECRET_ARN"), route.functionName());
                continue;
            }
            assertEquals("{Fn::If=[UsesHs256, {Ref=JwtSecretStore}, ]}",
                    String.valueOf(environment(route.functionName()).get("JWT_SECRET_ARN")), route.functionName());
        }
        assertTrue(String.valueOf(parameter("JwksUrl").get("AllowedPattern")).contains("https://"));
    }

    @Test
    void aTestSendAnswersWithinApiGatewaysThirtySeconds() {
        assertTrue(T.intValue(parameter("DeliveryTimeoutMs").get("MaxValue")) < 30_000);
    }

    @Test
    void tableIsProtectedFromDeletionAndProducersGetTheQueueArn() {
        assertEquals(Boolean.TRUE, T.properties("AstraTable").get("DeletionProtectionEnabled"));
        Map<String, Object> arn = map(map(T.root().get("Outputs")).get("EventsQueueArn"));
        assertEquals("{Fn::GetAtt=[EventsQueue, Arn]}", String.valueOf(arn.get("Value")));
    }

    @Test
    void everyFunctionIsDescribedAndPublishesAVersionOnAnyConfigurationChange() {
        for (var f : T.functions()) {
            Map<String, Object> p = T.properties(f.name());
            assertTrue(String.valueOf(p.get("Description")).length() > 20, f.name() + " has no Description");
            // without it a change of only Timeout or Handler publishes nothing and `live` keeps the old one
            assertEquals(Boolean.TRUE, T.effectiveProperties(f.name()).get("AutoPublishAliasAllProperties"), f.name());
        }
    }

    @Test
    void httpApiWritesAJsonAccessLogThatExpires() throws Exception {
        Map<String, Object> settings = map(T.properties("HttpApi").get("AccessLogSettings"));
        String group = TemplateModel.referencedResource(settings.get("DestinationArn"));
        assertEquals("AWS::Logs::LogGroup", T.resource(group).get("Type"));
        assertParameter(T.properties(group).get("RetentionInDays"));
        // API Gateway substitutes each $context variable inside its quotes: the line stays one JSON object
        String format = String.valueOf(settings.get("Format")).replaceAll("\\$context\\.[A-Za-z.]+", "x");
        Map<String, Object> line = com.astra.webhooks.core.Json.parseObject(format);
        assertTrue(line.keySet().containsAll(Set.of("requestId", "routeKey", "status", "integrationError")), line.toString());
        assertFalse(String.valueOf(settings.get("Format")).toLowerCase(java.util.Locale.ROOT).contains("authorization"));
    }

    @Test
    void tableAndQueuesSurviveStackDeletionAndTheDlqOutlastsTheQueue() {
        for (String id : List.of("AstraTable", "EventsQueue", "EventsDeadLetterQueue", "SlowLaneQueue",
                "SlowLaneDeadLetterQueue", "EventsFifoQueue", "EventsFifoDeadLetterQueue", "OrderedFifoQueue",
                "OrderedFifoDeadLetterQueue")) {
            assertEquals("Retain", T.resource(id).get("DeletionPolicy"), id);
            assertEquals("Retain", T.resource(id).get("UpdateReplacePolicy"), id);
        }
        assertTrue(T.intValue(T.properties("EventsDeadLetterQueue").get("MessageRetentionPeriod"))
                > T.intValue(T.properties("EventsQueue").get("MessageRetentionPeriod")));
        assertTrue(T.intValue(T.properties("SlowLaneDeadLetterQueue").get("MessageRetentionPeriod"))
                > T.intValue(T.properties("SlowLaneQueue").get("MessageRetentionPeriod")));
    }

    @Test
    void everyFunctionLogsToItsOwnLogGroupWithRetention() {
        for (var f : T.functions()) {
            Object logGroup = map(T.properties(f.name()).get("LoggingConfig")).get("LogGroup");
            String id = TemplateModel.referencedResource(logGroup);
            assertEquals("AWS::Logs::LogGroup", T.resource(id).get("Type"), f.name());
            assertNotNull(T.properties(id).get("RetentionInDays"), id);
            // a name derived from the function would let Lambda create the group first (no retention)
            assertFalse(String.valueOf(T.properties(id).get("LogGroupName")).contains("${" + f.name() + "}"), id);
        }
    }

    @Test
    void samBuildRunsTheMakefileForEveryFunction() throws Exception {
        String makefile = java.nio.file.Files.readString(java.nio.file.Path.of("../Makefile"));
        assertEquals(".", T.globalFunction().get("CodeUri"));
        for (var f : T.functions()) {
            assertEquals("makefile", map(T.resource(f.name()).get("Metadata")).get("BuildMethod"), f.name());
            assertTrue(makefile.contains(f.name()), "Makefile builds " + f.name());
        }
    }

    /**
     * SAM names a function's published version from a hash with parameter references unresolved,
     * so a parameter change alone would reach $LATEST but not the alias. The VersionDescription
     * carries the parameter values instead: CloudFormation replaces (publishes anew) a version whose
     * description changes. Lambda caps that description at 256 characters.
     */
    @Test
    void everyVersionDescriptionFitsLambdasLimitWithTheLongestParameterValues() {
        for (var f : T.functions()) {
            int longest = longest(T.effectiveProperties(f.name()).get("VersionDescription"));
            assertTrue(longest <= 256, f.name() + ": VersionDescription can reach " + longest + " characters");
        }
    }

    /**
     * Equal both ways: a parameter missing from the description leaves the alias on the old version
     * when it changes; one the configuration does not read changes the description with $LATEST
     * unchanged, and Lambda refuses to publish that ("Version already exists").
     */
    @Test
    void aFunctionsVersionDescriptionReadsExactlyTheParametersItsConfigurationReads() {
        for (var f : T.functions()) {
            Map<String, Object> config = new java.util.LinkedHashMap<>(T.effectiveProperties(f.name()));
            // triggers, the role and tags are not part of a published version
            List.of("Events", "Policies", "Tags", "VersionDescription").forEach(config::remove);
            Set<String> read = new TreeSet<>();
            collectInputs(config, read);
            Set<String> described = new TreeSet<>();
            collectInputs(T.effectiveProperties(f.name()).get("VersionDescription"), described);
            assertEquals(read, described, f.name() + ": parameters/conditions in the configuration vs VersionDescription");
            for (String input : described) {
                String name = input.substring(input.indexOf(' ') + 1);
                assertFalse(input.startsWith("parameter ") && Boolean.TRUE.equals(parameter(name).get("NoEcho")),
                        f.name() + " VersionDescription shows NoEcho parameter " + name);
            }
        }
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** The longest string a description can resolve to, from the parameters' declared limits. */
    private static int longest(Object value) {
        if (value instanceof String s) {
            return s.length();
        }
        Map<String, Object> m = map(value);
        if (m.containsKey("Ref")) {
            return longestParameter(String.valueOf(m.get("Ref")));
        }
        if (m.containsKey("Fn::If")) {
            List<Object> branches = list(m.get("Fn::If"));
            return Math.max(longest(branches.get(1)), longest(branches.get(2)));
        }
        Object sub = m.get("Fn::Sub");
        assertNotNull(sub, "only literals, Ref, Fn::If and Fn::Sub have a computable length: " + value);
        String text = subText(sub);
        Map<String, Object> variables = subVariables(sub);
        Matcher v = SUB_VARIABLE.matcher(text);
        int length = text.length();
        while (v.find()) {
            String name = v.group(1);
            length += -v.group().length()
                    + (variables.containsKey(name) ? longest(variables.get(name)) : longestParameter(name));
        }
        return length;
    }

    private static int longestParameter(String name) {
        Map<String, Object> p = parameter(name);
        assertFalse(p.isEmpty(), name + " is not a parameter");
        if (p.containsKey("AllowedValues")) {
            return list(p.get("AllowedValues")).stream().mapToInt(a -> String.valueOf(a).length()).max().orElse(0);
        }
        if ("Number".equals(p.get("Type"))) {
            assertTrue(p.containsKey("MinValue") && p.containsKey("MaxValue"), name + " needs MinValue and MaxValue");
            return Math.max(String.valueOf(p.get("MinValue")).length(), String.valueOf(p.get("MaxValue")).length());
        }
        assertNotNull(p.get("MaxLength"), name + " needs a MaxLength");
        return T.intValue(p.get("MaxLength"));
    }

    /** "parameter X" for every parameter a value reads, "condition C" for every Fn::If. */
    private static void collectInputs(Object value, Set<String> out) {
        if (value instanceof List<?> l) {
            l.forEach(e -> collectInputs(e, out));
        } else if (value instanceof Map<?, ?> raw) {
            Map<String, Object> m = map(raw);
            if (m.get("Ref") instanceof String ref && !parameter(ref).isEmpty()) {
                out.add("parameter " + ref);
            } else if (m.containsKey("Fn::If")) {
                out.add("condition " + list(m.get("Fn::If")).get(0));
                list(m.get("Fn::If")).subList(1, 3).forEach(e -> collectInputs(e, out));
            } else if (m.containsKey("Fn::Sub")) {
                Object sub = m.get("Fn::Sub");
                Map<String, Object> variables = subVariables(sub);
                Matcher v = SUB_VARIABLE.matcher(subText(sub));
                while (v.find()) {
                    if (!variables.containsKey(v.group(1)) && !parameter(v.group(1)).isEmpty()) {
                        out.add("parameter " + v.group(1));
                    }
                }
                collectInputs(List.copyOf(variables.values()), out);
            } else {
                m.values().forEach(e -> collectInputs(e, out));
            }
        }
    }

    /** Fn::Sub is either the string or [string, {variable: value}]. */
    private static String subText(Object sub) {
        return sub instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(sub);
    }

    private static Map<String, Object> subVariables(Object sub) {
        return sub instanceof List<?> l ? map(l.get(1)) : Map.of();
    }

    private static Map<String, Object> environment(String function) {
        return map(map(T.effectiveProperties(function).get("Environment")).get("Variables"));
    }

    private static Map<String, Object> parameter(String name) {
        return map(map(T.root().get("Parameters")).get(name));
    }

    @Test
    void functionsLogJsonAndAreTraced() {
        Map<String, Object> g = T.globalFunction();
        assertEquals("JSON", map(g.get("LoggingConfig")).get("LogFormat"));
        assertEquals("Active", g.get("Tracing"));
        for (var f : T.functions()) {
            Map<String, Object> p = T.properties(f.name());
            // SAM merges a function's LoggingConfig map into the global one: naming its log group is
            // fine, overriding the format or the tracing is not
            assertFalse(p.containsKey("Tracing"), f.name() + " overrides the global tracing");
            if (p.containsKey("LoggingConfig")) {
                assertEquals(java.util.Set.of("LogGroup"), map(p.get("LoggingConfig")).keySet(), f.name());
            }
        }
    }

    @Test
    void dispatcherConcurrencyIsCappedByAParameterDefaulting50() {
        Map<String, Object> props = map(map(T.events("DispatcherFunction").values().stream()
                .filter(e -> "SQS".equals(map(e).get("Type"))).findFirst().orElseThrow()).get("Properties"));
        Object max = map(props.get("ScalingConfig")).get("MaximumConcurrency");
        assertParameter(max);
        assertEquals(50, T.intValue(max));
    }

    @Test
    void httpApiRoutesAreThrottledByDefault() {
        Map<String, Object> settings = map(T.properties("HttpApi").get("DefaultRouteSettings"));
        assertParameter(settings.get("ThrottlingBurstLimit"));
        assertParameter(settings.get("ThrottlingRateLimit"));
        assertTrue(T.intValue(settings.get("ThrottlingRateLimit")) > 0);
    }

    @Test
    void alarmsWatchTheDlqTheBacklogAndTheDispatcherAndNotifyAnOptionalTopic() {
        Map<String, Object> params = map(T.root().get("Parameters"));
        assertEquals("", map(params.get("AlarmTopicArn")).get("Default"), "the topic is optional");
        Map<String, Object> condition = map(map(T.root().get("Conditions")).get("HasAlarmTopic"));
        assertTrue(condition.toString().contains("AlarmTopicArn"), condition.toString());
        Set<String> watched = new TreeSet<>();
        for (String id : T.resourcesOfType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = T.properties(id);
            String expected = "{Fn::If=[HasAlarmTopic, [{Ref=AlarmTopicArn}], {Ref=AWS::NoValue}]}";
            assertEquals(expected, String.valueOf(p.get("AlarmActions")), id);
            assertEquals("GreaterThanThreshold", p.get("ComparisonOperator"), id);
            // a plain metric, or metric math summing several (one alarm over every API function)
            List<Map<String, Object>> metrics = p.containsKey("Metrics")
                    ? list(p.get("Metrics")).stream().map(m -> map(m)).filter(m -> m.containsKey("MetricStat"))
                            .map(m -> map(map(m.get("MetricStat")).get("Metric"))).toList()
                    : List.of(p);
            if (p.containsKey("Metrics")) {
                assertEquals(1, list(p.get("Metrics")).stream().filter(m -> Boolean.TRUE.equals(map(m).get("ReturnData"))
                        && "SUM(METRICS())".equals(map(m).get("Expression"))).count(), id);
            }
            for (Map<String, Object> m : metrics) {
                Object dimension = map(list(m.get("Dimensions")).get(0)).get("Value");
                String operation = list(m.get("Dimensions")).size() > 1
                        ? " " + map(list(m.get("Dimensions")).get(1)).get("Value") : "";
                watched.add(m.get("Namespace") + " " + m.get("MetricName") + " "
                        + TemplateModel.referencedResource(dimension) + operation);
            }
        }
        Set<String> expected = new TreeSet<>(Set.of(
                "AWS/SQS ApproximateNumberOfMessagesVisible EventsDeadLetterQueue",
                "AWS/SQS ApproximateNumberOfMessagesVisible SlowLaneDeadLetterQueue",
                "AWS/SQS ApproximateNumberOfMessagesVisible EventsFifoDeadLetterQueue",
                "AWS/SQS ApproximateNumberOfMessagesVisible OrderedFifoDeadLetterQueue",
                "AWS/SQS ApproximateAgeOfOldestMessage EventsQueue",
                "AWS/ApiGateway 5xx HttpApi"));
        for (var f : T.functions()) {
            expected.add("AWS/Lambda Errors " + f.name());
            expected.add("AWS/Lambda Throttles " + f.name());
        }
        // every DynamoDB operation the functions' roles allow (TransactWriteItems: PutItem/UpdateItem/DeleteItem)
        Set<String> operations = new TreeSet<>(Set.of("TransactWriteItems"));
        // PartiQL statements are counted under the operation that carried them (BatchExecuteStatement)
        allowed("DispatcherFunction", "dynamodb:").forEach(a -> operations.add(
                a.equals("dynamodb:PartiQLInsert") ? "BatchExecuteStatement" : a.substring("dynamodb:".length())));
        allowed("WebhooksFunction", "dynamodb:").forEach(a -> operations.add(a.substring("dynamodb:".length())));
        operations.forEach(o -> expected.add("AWS/DynamoDB ThrottledRequests AstraTable " + o));
        assertEquals(expected, watched);
        for (String id : T.resourcesOfType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = T.properties(id);
            if ("ApproximateAgeOfOldestMessage".equals(p.get("MetricName")) || p.containsKey("Metrics")) {
                if (p.containsKey("Metrics")) {
                    assertEquals(0, T.intValue(p.get("Threshold")), id + ": any occurrence alarms");
                    continue;
                }
                assertParameter(p.get("Threshold"));
            } else {
                assertEquals(0, T.intValue(p.get("Threshold")), id + ": any occurrence alarms");
            }
        }
    }

    /** The SDK calls in the functions' code, as the IAM actions that authorise them. */
    private static final Map<String, String> CALLS = Map.ofEntries(
            Map.entry("getItem", "dynamodb:GetItem"), Map.entry("batchGetItem", "dynamodb:BatchGetItem"),
            Map.entry("query", "dynamodb:Query"), Map.entry("queryPaginator", "dynamodb:Query"),
            Map.entry("scan", "dynamodb:Scan"), Map.entry("scanPaginator", "dynamodb:Scan"),
            Map.entry("putItem", "dynamodb:PutItem"), Map.entry("updateItem", "dynamodb:UpdateItem"),
            Map.entry("deleteItem", "dynamodb:DeleteItem"), Map.entry("batchWriteItem", "dynamodb:BatchWriteItem"),
            // BatchExecuteStatement is authorised statement by statement
            Map.entry("batchExecuteStatement", "dynamodb:PartiQLInsert"),
            // a transaction is authorised item by item
            Map.entry("Put.builder", "dynamodb:PutItem"), Map.entry("Update.builder", "dynamodb:UpdateItem"),
            Map.entry("Delete.builder", "dynamodb:DeleteItem"), Map.entry("ConditionCheck.builder", "dynamodb:ConditionCheckItem"),
            Map.entry("sendMessage", "sqs:SendMessage"), Map.entry("sendMessageBatch", "sqs:SendMessage"),
            Map.entry("changeMessageVisibility", "sqs:ChangeMessageVisibility"),
            Map.entry("getSecretValue", "secretsmanager:GetSecretValue"));

    @Test
    void everyFunctionsRoleAllowsOnlyTheActionsTheCodeCallsOnNamedResources() throws Exception {
        Set<String> called = new TreeSet<>();
        Pattern call = Pattern.compile("\\b(\\w+(?:\\.builder)?)\\(");
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("../functions/src/main/java"))) {
            for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(java.nio.file.Files.readString(file));
                while (m.find()) {
                    if (CALLS.containsKey(m.group(1))) {
                        called.add(CALLS.get(m.group(1)));
                    }
                }
            }
        }
        assertTrue(called.containsAll(Set.of("dynamodb:Query", "sqs:SendMessage")), "the scan found the calls: " + called);
        Set<String> granted = new TreeSet<>();
        for (var f : T.functions()) {
            assertFalse(T.properties(f.name()).containsKey("Policies"),
                    f.name() + ": SAM policy templates and event policies attach broader managed policies");
            String role = TemplateModel.referencedResource(T.properties(f.name()).get("Role"));
            assertEquals("AWS::IAM::Role", T.resource(role).get("Type"), f.name());
            for (Map<String, Object> statement : statements(role)) {
                List<String> actions = strings(statement.get("Action"));
                Object resource = statement.get("Resource");
                if (actions.stream().allMatch(a -> a.startsWith("xray:"))) {
                    assertEquals("*", resource, "X-Ray has no resource-level permissions");
                    continue;
                }
                assertFalse(String.valueOf(resource).equals("*") || strings(resource).contains("*"), role + " " + actions);
                actions.stream().filter(a -> !a.startsWith("logs:")).forEach(granted::add);
            }
        }
        // the event source mapping polls with the dispatcher's role
        Set<String> poller = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
        assertTrue(allowed("DispatcherFunction", "sqs:").containsAll(poller));
        called.addAll(poller);
        assertEquals(called, granted, "granted vs called");
        assertFalse(granted.contains("dynamodb:Scan"));
        assertEquals(Set.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
                allowed("InspectorFunction", "dynamodb:"), "the inspector only reads");
        assertEquals(Set.of(), allowed("DocsFunction", ""), "the docs function reads no data");
    }

    /** The actions a function's role allows that start with {@code prefix} (logs and traces aside). */
    private static Set<String> allowed(String function, String prefix) {
        String role = TemplateModel.referencedResource(T.properties(function).get("Role"));
        return statements(role).stream().flatMap(s -> strings(s.get("Action")).stream())
                .filter(a -> a.startsWith(prefix) && !a.startsWith("logs:") && !a.startsWith("xray:"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A role's statements; a conditional one (Fn::If) counts with its granting branch. */
    private static List<Map<String, Object>> statements(String role) {
        return list(T.properties(role).get("Policies")).stream()
                .flatMap(p -> list(map(map(p).get("PolicyDocument")).get("Statement")).stream())
                .map(s -> map(s).containsKey("Fn::If") ? map(list(map(s).get("Fn::If")).get(1)) : map(s))
                .toList();
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
    }

    private static void assertParameter(Object value) {
        assertTrue(value instanceof Map<?, ?> m && m.containsKey("Ref")
                && map(T.root().get("Parameters")).containsKey(String.valueOf(m.get("Ref"))), "parameter ref: " + value);
    }
}
