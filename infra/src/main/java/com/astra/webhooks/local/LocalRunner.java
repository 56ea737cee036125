package com.astra.webhooks.local;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.SettingSpecs;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.wiring.Wiring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * API Gateway, Lambda, SQS and DynamoDB on one machine, driven by template.yaml:
 * {@code java -jar astra-local.jar}. Tests use {@link #start(RunnerOptions)} and the returned
 * handle's endpoints, and {@link #close()} it. This class is the start-up order and the handle;
 * each part it starts lives in its own class.
 */
public final class LocalRunner implements AutoCloseable {

    public static final String TABLE_NAME = "astra-webhooks";
    public static final String EVENTS_QUEUE = "astra-events";
    public static final String DLQ = "astra-events-dlq";
    static final String REGION = SettingSpecs.AWS_REGION.local();

    /** The documented local HS256 key; production sets its own JWT_SECRET. */
    public static final String DEFAULT_JWT_SECRET = SettingSpecs.JWT_SECRET.local();

    /** Local-friendly values the user's environment may override (each setting's {@code local} in its spec). */
    static final Map<String, String> LOCAL_DEFAULTS = SettingSpecs.localDefaults();

    static {
        LocalHttpApi.raiseHeaderLimit();
    }

    private final ShutdownSequence shutdown = new ShutdownSequence();
    private Path dataDir;
    private String httpUrl;
    private String sqsEndpoint;
    private String dynamoEndpoint;
    /** Every queue by its template logical id: the events queue, the slow lane, the FIFO queues. */
    private Map<String, QueueSetup.Queues> queues = Map.of();
    private String eventsResource;
    private int sqsConcurrency;
    /** The runner's own settings (its clients, the token), parsed from the user's settings as the handlers' are. */
    private Settings settings;
    /** What each function finds in its environment, by function name. */
    private Map<String, Map<String, String>> environments = Map.of();
    private LambdaHandlers handlers;

    private LocalRunner() {}

    /** The jar's entry point; see {@link RunnerCommand}. */
    public static void main(String[] args) {
        RunnerCommand.run(args);
    }

    /** Starts everything; on failure, whatever did start is stopped again before the exception leaves. */
    public static LocalRunner start(RunnerOptions options) {
        quietLogging();
        LocalRunner runner = new LocalRunner();
        try {
            runner.boot(options);
            return runner;
        } catch (RuntimeException | Error e) {
            runner.close();
            throw e;
        }
    }

    private void boot(RunnerOptions options) {
        Map<String, String> env = System.getenv();
        TemplateModel template = options.template != null ? TemplateModel.load(options.template) : TemplateModel.bundled();
        Map<String, String> user = RunnerSettings.user(options, env, FunctionEnvironment.declaredNames(template));
        // A bad setting stops the runner before anything starts, with the line the handlers would log,
        // and so does a value the template's parameters (CloudFormation) or Lambda would refuse.
        Settings.parse(RunnerSettings.effective(env, user));
        FunctionEnvironment functionEnvironment = new FunctionEnvironment(template, user);
        Set<String> undeclared = functionEnvironment.undeclared();
        if (!undeclared.isEmpty()) {
            System.out.println("[astra-local] not declared in the template, so given to every function"
                    + " (a deployed function gets none of them): " + String.join(", ", undeclared));
        }
        List<TemplateModel.SqsSource> sources = template.sqsSources();
        Optional<TemplateModel.SqsSource> source = sources.stream().findFirst();
        LocalQueues localQueues = new LocalQueues(template);
        eventsResource = localQueues.eventsResource();
        String tableResource = LocalRefs.tableResource(template);
        Map<String, Map<String, String>> preview = functionEnvironment.all(new FunctionEnvironment.Local(
                LocalRefs.of(template, tableResource, TABLE_NAME, localQueues.placeholders()), Map.of(), Map.of(), REGION));
        // the claim lease is the dispatcher's: its delivery timeout is the one its template entry gives it
        Settings dispatcher = Settings.parse(source.map(s -> preview.get(s.functionName()))
                .orElse(RunnerSettings.effective(env, user)));
        dataDir = options.inMemory ? null : createDirectories(options.dataDir);
        Optional<String> externalDynamo = RunnerSettings.external(options, env, Settings.AWS_ENDPOINT_URL_DYNAMODB);
        Path dynoxideBinary = externalDynamo.isPresent() ? null : DynamoDbStartup.locate();

        // dynoxide first, so that it is stopped last: the pollers still write to it while ElasticMQ stops
        Dynoxide dynoxide = null;
        if (externalDynamo.isPresent()) {
            dynamoEndpoint = externalDynamo.get();
        } else {
            dynoxide = DynamoDbStartup.start(dynoxideBinary, options.dynamoDbPort, dataDir);
            shutdown.push(dynoxide);
            dynamoEndpoint = dynoxide.endpoint();
        }
        String functionsSqsEndpoint = RunnerSettings.external(options, env, Settings.AWS_ENDPOINT_URL_SQS).orElse(null);
        EmbeddedSqs embeddedSqs = null;
        if (functionsSqsEndpoint != null) {
            sqsEndpoint = functionsSqsEndpoint;
        } else {
            if (options.sqsPort != 0) {
                Ports.requireFree(options.sqsPort, "ElasticMQ", "--sqs-port", Settings.AWS_ENDPOINT_URL_SQS);
            }
            embeddedSqs = EmbeddedSqs.start(options.sqsPort, dataDir, new Wiring(dispatcher).claimLease());
            shutdown.push(embeddedSqs);
            // the port agents use refuses first: their SDK retries a refused send, an accepted one is stored
            shutdown.first(embeddedSqs::refuse);
            sqsEndpoint = embeddedSqs.endpoint();
            functionsSqsEndpoint = embeddedSqs.internalEndpoint();
        }

        // the runner's own view: the user's settings and the local endpoints (its clients, the token)
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(Settings.AWS_ENDPOINT_URL_SQS, functionsSqsEndpoint); // the runner's own port, open until the end
        endpoints.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, dynamoEndpoint);
        Map<String, String> own = RunnerSettings.effective(env, user);
        own.putAll(endpoints);
        settings = Settings.parse(own);

        DynamoDbClient dynamo = AwsClients.dynamoDb(settings);
        shutdown.push(dynamo);
        SqsClient sqs = AwsClients.sqs(settings);
        shutdown.push(sqs);
        DynamoDbStartup.awaitReady(dynamo, dynamoEndpoint, dynoxide);

        TableSetup.ensure(dynamo, template, tableResource, TABLE_NAME);
        queues = localQueues.ensure(sqs, template, embeddedSqs != null);
        environments = functionEnvironment.all(new FunctionEnvironment.Local(
                LocalRefs.of(template, tableResource, TABLE_NAME, queues), endpoints, RunnerSettings.credentials(env),
                settings.awsRegion()));

        handlers = new LambdaHandlers(template, options.code != null ? options.code : LambdaCode.bundled(), environments);
        shutdown.push(handlers);
        LocalHttpApi http = LocalHttpApi.start(options.httpPort, handlers, new HttpApiRouter(template.httpRoutes()),
                options.integrationTimeout);
        shutdown.push(http);
        httpUrl = http.url();
        sqsConcurrency = source.map(s -> EventSourceMapping.concurrency(s, options.pollers)).orElse(0);
        List<EventSourceMapping> mappings = new ArrayList<>();
        shutdown.push(() -> EventSourceMapping.stopAll(mappings, EventSourceMapping.STOP_GRACE));
        for (TemplateModel.SqsSource s : sources) {
            // --pollers sizes the events queue's source; a lane keeps the template's own concurrency
            int pollers = s == source.get() ? sqsConcurrency : EventSourceMapping.concurrency(s, null);
            QueueSetup.Queues q = queues.get(s.queueResource());
            if (pollers > 0) {
                mappings.add(new EventSourceMapping(sqs, q.eventsUrl(), q.eventsArn(), settings.awsRegion(), s,
                        template.function(s.functionName()), handlers, pollers));
            }
        }
    }

    public String httpUrl() { return httpUrl; }
    public String sqsEndpoint() { return sqsEndpoint; }
    public String eventsQueueUrl() { return queues.get(eventsResource).eventsUrl(); }
    public String dlqUrl() { return queues.get(eventsResource).dlqUrl(); }
    /** The URL of the template's queue {@code logicalId} (e.g. EventsFifoQueue), or of its DLQ. */
    public String queueUrl(String logicalId, boolean deadLetter) {
        QueueSetup.Queues q = queues.get(logicalId);
        return q == null ? null : deadLetter ? q.dlqUrl() : q.eventsUrl();
    }
    public String dynamoEndpoint() { return dynamoEndpoint; }
    public String tableName() { return TABLE_NAME; }
    /** Batches the SQS event source runs at once (0: none runs). */
    public int sqsConcurrency() { return sqsConcurrency; }
    /** Empty when running in memory. */
    public Optional<Path> dataDir() { return Optional.ofNullable(dataDir); }

    /** What {@code functionName} finds in its environment: its template entry's variables, as Lambda sets them. */
    public Map<String, String> environment(String functionName) {
        Map<String, String> environment = environments.get(functionName);
        if (environment == null) {
            throw new IllegalArgumentException("no function " + functionName + " in the template");
        }
        return environment;
    }

    /** Invokes a function of the template as Lambda would, with its own environment (tests). */
    byte[] invoke(String functionName, byte[] event) throws LambdaFunction.FunctionError {
        return handlers.invoke(functionName, event);
    }

    /** A 24 h token for {@code tenant}, signed with the JWT_SECRET the handlers see. */
    public String token(String tenant) {
        return TokenIssuer.issueHs256(Settings.require(Settings.JWT_SECRET, settings.jwtSecret()), tenant,
                Duration.ofHours(24));
    }

    /**
     * Stops in the order that loses nothing: the SQS port agents use refuses first, then the
     * pollers finish or hand back their batches, then HTTP, ElasticMQ with its H2 store, and
     * dynoxide last (the reverse of {@link #boot}'s order).
     */
    @Override
    public void close() {
        shutdown.close();
    }

    void awaitStop() {
        shutdown.await();
    }

    static boolean isFree(int port) {
        return Ports.isFree(port);
    }

    static int freePort() {
        return Ports.freePort();
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + dir, e);
        }
    }

    /** ElasticMQ and Pekko are chatty at INFO; the runner's own output is the banner. */
    static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** A startup problem the user can fix; its message is the one line they need. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message);
        }

        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
