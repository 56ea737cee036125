package com.astra.webhooks.local;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.LambdaEnvironment;
import com.astra.webhooks.config.Settings;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One in-memory runner per test JVM, on free ports, with settings that make retries and
 * timeouts test-sized. Use {@code @ExtendWith(AstraLocalExtension.class)} and either inject
 * {@link LocalRunner}, {@link Http}, {@link SqsClient} or {@link DynamoDbClient} into test
 * methods/constructors, or call the static accessors.
 *
 * <p>The template is the bundled template.yaml unless the system property
 * {@code astra.local.template} names another file.
 */
public final class AstraLocalExtension implements BeforeAllCallback, ParameterResolver {

    public static final Map<String, String> TEST_SETTINGS = Map.of(
            Settings.RETRY_SCHEDULE, "1s,1s,1s,1s,1s,1s,1s",
            Settings.DELIVERY_TIMEOUT_MS, "2000",
            Settings.ALLOW_PRIVATE_TARGETS, "true",
            Settings.REQUIRE_HTTPS, "false",
            Settings.JWT_SECRET, "test-secret",
            // one request per attempt, as these tests count them; IsolationTest runs its own
            // runner with the slow lane on, as deployed
            Settings.SLOW_AFTER_MS, "0");

    private static volatile Stack stack;

    /** The started runner and clients bound to it; closed by JUnit when the root context ends. */
    static final class Stack implements ExtensionContext.Store.CloseableResource {
        final LocalRunner runner;
        final SqsClient sqs;
        final DynamoDbClient dynamoDb;
        final Http http;

        Stack(LocalRunner runner) {
            this.runner = runner;
            Map<String, String> endpoints = new LinkedHashMap<>();
            endpoints.put(Settings.AWS_ENDPOINT_URL_SQS, runner.sqsEndpoint());
            endpoints.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, runner.dynamoEndpoint());
            endpoints.put(Settings.AWS_REGION, LocalRunner.REGION);
            Settings config = Settings.parse(endpoints);
            this.sqs = AwsClients.sqs(config);
            this.dynamoDb = AwsClients.dynamoDb(config);
            this.http = new Http(runner.httpUrl());
        }

        @Override
        public void close() {
            sqs.close();
            dynamoDb.close();
            runner.close();
            stack = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    private static Stack stack(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(AstraLocalExtension.class))
                .getOrComputeIfAbsent(Stack.class, k -> {
                    RunnerOptions options = RunnerOptions.defaults().freePorts().inMemory(true).settings(TEST_SETTINGS);
                    if (LocalStackProfile.active()) {
                        options.settings(LocalStackProfile.endpoints());
                    }
                    String template = System.getProperty("astra.local.template");
                    if (template != null && !template.isBlank()) {
                        options.template(Path.of(template));
                    }
                    Stack started = new Stack(LocalRunner.start(options));
                    stack = started;
                    return started;
                }, Stack.class);
    }

    private static Stack current() {
        Stack s = stack;
        if (s == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(AstraLocalExtension.class)");
        }
        return s;
    }

    public static LocalRunner runner() { return current().runner; }
    public static String baseUrl() { return current().runner.httpUrl(); }
    public static Http http() { return current().http; }
    public static SqsClient sqs() { return current().sqs; }
    public static DynamoDbClient dynamoDb() { return current().dynamoDb; }
    public static String eventsQueueUrl() { return current().runner.eventsQueueUrl(); }
    public static String dlqUrl() { return current().runner.dlqUrl(); }
    public static String tableName() { return current().runner.tableName(); }

    /**
     * Builds a handler in this JVM (not in a sandbox) as {@code functionName} of the template is
     * built: its constructor reads that function's environment, through the same
     * {@code LambdaEnvironment} channel the runner uses for this JVM's copy of the class.
     */
    public static <T> T asFunction(String functionName, Supplier<T> constructor) {
        try {
            Field variables = LambdaEnvironment.class.getDeclaredField("variables");
            variables.setAccessible(true);
            synchronized (LambdaEnvironment.class) {
                variables.set(null, runner().environment(functionName));
                try {
                    return constructor.get();
                } finally {
                    variables.set(null, null);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 1 h token for {@code tenant}, signed with the test JWT_SECRET. */
    public static String token(String tenant) {
        return TokenIssuer.issueHs256(TEST_SETTINGS.get(Settings.JWT_SECRET), tenant, Duration.ofHours(1));
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == LocalRunner.class || type == Http.class || type == SqsClient.class || type == DynamoDbClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Stack s = stack(e);
        Class<?> type = p.getParameter().getType();
        if (type == LocalRunner.class) return s.runner;
        if (type == Http.class) return s.http;
        if (type == SqsClient.class) return s.sqs;
        return s.dynamoDb;
    }
}
