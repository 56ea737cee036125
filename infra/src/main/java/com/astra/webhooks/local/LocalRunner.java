package com.astra.webhooks.local;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.SettingSpecs;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Durations;
import com.astra.webhooks.wiring.Wiring;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * API Gateway, Lambda, SQS and DynamoDB on one machine, driven by template.yaml:
 * {@code java -jar astra-local.jar}. Tests use {@link #start(RunnerOptions)} and the returned
 * handle's endpoints, and {@link #close()} it.
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
        // The JDK server closes a connection with more than 200 headers without a status; raised
        // so that API Gateway's own limit (ApiGatewayBridge.MAX_HEAD_BYTES, answered 431) is the
        // one a client meets. Read once, when the first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.maxReqHeaders") == null) {
            System.setProperty("sun.net.httpserver.maxReqHeaders", "10000");
        }
    }

    /** Everything started so far, stopped in reverse order. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Path dataDir;
    private String httpUrl;
    private String sqsEndpoint;
    private String dynamoEndpoint;
    private EmbeddedSqs embeddedSqs;
    private String tableName;
    private QueueSetup.Queues queues;
    /** Every queue by its template logical id: the events queue, the slow lane, the FIFO queues. */
    private final Map<String, QueueSetup.Queues> allQueues = new LinkedHashMap<>();
    private int sqsConcurrency;
    /** The runner's own settings (its clients, the token), parsed from the user's settings as the handlers' are. */
    private Settings settings;
    /** What each function finds in its environment, by function name. */
    private Map<String, Map<String, String>> environments = Map.of();
    private LambdaHandlers handlers;

    private LocalRunner() {}

    public static void main(String[] args) {
        quietLogging();
        if (args.length > 0 && args[0].equals("token")) {
            try {
                System.out.println(tokenCommand(List.of(args).subList(1, args.length), System.getenv()));
            } catch (RuntimeException e) {
                System.err.println("astra-local: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(RunnerOptions.usage());
            return;
        }
        LocalRunner runner;
        try {
            RunnerOptions options = RunnerOptions.parse(args, System.getenv());
            FunctionJvmProperties.apply(options.template != null ? TemplateModel.load(options.template) : TemplateModel.bundled());
            runner = start(options);
        } catch (RuntimeException e) {
            System.err.println("astra-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[astra-local] stopping...");
            runner.close();
            System.out.println("[astra-local] stopped");
        }, "astra-local-shutdown"));
        System.out.println(Banner.render(runner, runner.token("local")));
        runner.awaitStop();
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
        Map<String, String> user = userSettings(options, env, FunctionEnvironment.declaredNames(template));
        // A bad setting stops the runner before anything starts, with the line the handlers would log,
        // and so does a value the template's parameters (CloudFormation) or Lambda would refuse.
        Settings.parse(effective(env, user));
        FunctionEnvironment functionEnvironment = new FunctionEnvironment(template, user);
        Set<String> undeclared = functionEnvironment.undeclared();
        if (!undeclared.isEmpty()) {
            System.out.println("[astra-local] not declared in the template, so given to every function"
                    + " (a deployed function gets none of them): " + String.join(", ", undeclared));
        }
        List<TemplateModel.SqsSource> sources = template.sqsSources();
        var source = sources.stream().findFirst();
        String eventsResource = source.map(TemplateModel.SqsSource::queueResource).orElse("EventsQueue");
        // further queues (the slow lane) by logical id, each with its own local name
        Map<String, String> laneNames = new LinkedHashMap<>();
        sources.stream().map(TemplateModel.SqsSource::queueResource).filter(q -> !q.equals(eventsResource))
                .distinct().forEach(q -> laneNames.put(q, localQueueName(q, QueueSetup.fifo(template, q))));
        String tableResource = tableResource(template);
        Map<String, QueueSetup.Queues> placeholders = new LinkedHashMap<>();
        placeholders.put(eventsResource, new QueueSetup.Queues("(events queue)", null, "(dead-letter queue)", null, 0, 0));
        laneNames.forEach((q, name) -> placeholders.put(q, new QueueSetup.Queues("(" + name + ")", null, "(" + dlqName(name) + ")",
                null, 0, 0)));
        Map<String, Map<String, String>> preview = functionEnvironment.all(new FunctionEnvironment.Local(
                resources(template, tableResource, TABLE_NAME, placeholders), Map.of(), Map.of(), REGION));
        // the claim lease is the dispatcher's: its delivery timeout is the one its template entry gives it
        Settings dispatcher = Settings.parse(source.map(s -> preview.get(s.functionName())).orElse(effective(env, user)));
        dataDir = options.inMemory ? null : createDirectories(options.dataDir);
        Optional<String> externalDynamo = external(options, env, Settings.AWS_ENDPOINT_URL_DYNAMODB);
        Path dynoxideBinary = externalDynamo.isPresent() ? null : locateDynoxide();

        // dynoxide first, so that it is stopped last: the pollers still write to it while ElasticMQ stops
        dynamoEndpoint = externalDynamo.orElseGet(() -> startDynoxide(dynoxideBinary, options));
        String functionsSqsEndpoint = external(options, env, Settings.AWS_ENDPOINT_URL_SQS).orElse(null);
        if (functionsSqsEndpoint != null) {
            sqsEndpoint = functionsSqsEndpoint;
        } else {
            if (options.sqsPort != 0 && !isFree(options.sqsPort)) {
                throw new StartupException("port " + options.sqsPort + " is in use (another astra-local or ElasticMQ?);"
                        + " pass --sqs-port N, or AWS_ENDPOINT_URL_SQS=http://127.0.0.1:" + options.sqsPort + " to use it");
            }
            embeddedSqs = EmbeddedSqs.start(options.sqsPort, dataDir, new Wiring(dispatcher).claimLease());
            resources.push(embeddedSqs);
            sqsEndpoint = embeddedSqs.endpoint();
            functionsSqsEndpoint = embeddedSqs.internalEndpoint();
        }

        // the runner's own view: the user's settings and the local endpoints (its clients, the token)
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(Settings.AWS_ENDPOINT_URL_SQS, functionsSqsEndpoint); // the runner's own port, open until the end
        endpoints.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, dynamoEndpoint);
        Map<String, String> own = effective(env, user);
        own.putAll(endpoints);
        settings = Settings.parse(own);
        tableName = TABLE_NAME;

        DynamoDbClient dynamo = AwsClients.dynamoDb(settings);
        resources.push(dynamo);
        SqsClient sqs = AwsClients.sqs(settings);
        resources.push(sqs);
        awaitDynamoDb(dynamo);

        TableSetup.ensure(dynamo, template, tableResource, tableName);
        queues = QueueSetup.ensure(sqs, template, eventsResource, EVENTS_QUEUE, DLQ, embeddedSqs != null);
        allQueues.put(eventsResource, queues);
        laneNames.forEach((q, name) -> allQueues.put(q, QueueSetup.ensure(sqs, template, q, name, dlqName(name),
                embeddedSqs != null)));
        Map<String, String> credentials = new LinkedHashMap<>();
        FunctionEnvironment.CREDENTIALS.forEach(name -> Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank())
                .ifPresent(v -> credentials.put(name, v)));
        environments = functionEnvironment.all(new FunctionEnvironment.Local(
                resources(template, tableResource, tableName, allQueues), endpoints, credentials, settings.awsRegion()));

        LambdaHandlers handlers = new LambdaHandlers(template, options.code != null ? options.code : LambdaCode.bundled(),
                environments);
        this.handlers = handlers;
        resources.push(handlers);
        startHttp(options.httpPort, handlers, new HttpApiRouter(template.httpRoutes()), options.integrationTimeout);
        sqsConcurrency = source.map(s -> EventSourceMapping.concurrency(s, options.pollers)).orElse(0);
        List<EventSourceMapping> mappings = new java.util.ArrayList<>();
        resources.push(() -> EventSourceMapping.stopAll(mappings, EventSourceMapping.STOP_GRACE));
        for (TemplateModel.SqsSource s : sources) {
            // --pollers sizes the events queue's source; a lane keeps the template's own concurrency
            int pollers = s == source.get() ? sqsConcurrency : EventSourceMapping.concurrency(s, null);
            QueueSetup.Queues q = allQueues.get(s.queueResource());
            if (pollers > 0) {
                mappings.add(new EventSourceMapping(sqs, q.eventsUrl(), q.eventsArn(), settings.awsRegion(), s,
                        template.function(s.functionName()), handlers, pollers));
            }
        }
    }

    /**
     * The user's settings: the local defaults, overridden by the runner's environment for every
     * name the service reads or the template declares, overridden by the options' settings.
     */
    private static Map<String, String> userSettings(RunnerOptions options, Map<String, String> env, Set<String> declared) {
        Map<String, String> values = new LinkedHashMap<>(LOCAL_DEFAULTS);
        Set<String> names = new LinkedHashSet<>(Settings.NAMES);
        names.addAll(declared);
        names.forEach(name -> {
            if (env.get(name) != null) {
                values.put(name, env.get(name));
            }
        });
        values.putAll(options.settings);
        return values;
    }

    /** The runner's own view of its settings: its whole environment, overridden by the user's settings. */
    private static Map<String, String> effective(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(overrides);
        return merged;
    }

    /** What {@code Ref} to each local resource is: the table's name and the queues' (and their DLQs') URLs. */
    private static Map<String, String> resources(TemplateModel template, String tableResource, String table,
                                                 Map<String, QueueSetup.Queues> queues) {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put(tableResource, table);
        queues.forEach((resource, q) -> {
            refs.put(resource, q.eventsUrl());
            Object redrive = TemplateModel.map(template.properties(resource).get("RedrivePolicy")).get("deadLetterTargetArn");
            if (redrive != null) {
                refs.put(TemplateModel.referencedResource(redrive), q.dlqUrl());
            }
        });
        // No Secrets Manager here: a secret's ARN is empty, and JWT_SECRET stands in for the key it holds.
        template.resourcesOfType("AWS::SecretsManager::Secret").forEach(id -> refs.put(id, ""));
        return refs;
    }

    /** A further queue's local name from its logical id: SlowLaneQueue is astra-slow-lane. */
    static String localQueueName(String logicalId) {
        return localQueueName(logicalId, false);
    }

    /**
     * The same for a FIFO queue, whose name SQS wants to end in .fifo: EventsFifoQueue is
     * astra-events.fifo (the name DESIGN.md gives agents), OrderedFifoQueue astra-ordered.fifo.
     */
    static String localQueueName(String logicalId, boolean fifo) {
        String base = logicalId.endsWith("Queue") ? logicalId.substring(0, logicalId.length() - "Queue".length()) : logicalId;
        if (fifo && base.endsWith("Fifo")) {
            base = base.substring(0, base.length() - "Fifo".length());
        }
        return "astra-" + base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT)
                + (fifo ? ".fifo" : "");
    }

    /** A queue's DLQ: astra-slow-lane-dlq, astra-events-dlq.fifo. */
    static String dlqName(String queueName) {
        return queueName.endsWith(".fifo") ? queueName.substring(0, queueName.length() - ".fifo".length()) + "-dlq.fifo"
                : queueName + "-dlq";
    }

    private static Path locateDynoxide() {
        return Dynoxide.locate().orElseThrow(() -> new StartupException(
                "dynoxide not found (looked at $DYNOXIDE_BIN and infra/" + Dynoxide.NPM_PATH
                        + "; run `mvn package` or `npm ci` in infra/, or set AWS_ENDPOINT_URL_DYNAMODB=http://host:port"
                        + " to use another DynamoDB)"));
    }

    private String startDynoxide(Path binary, RunnerOptions options) {
        int port = options.dynamoDbPort == 0 ? freePort() : options.dynamoDbPort;
        // otherwise the readiness probe would happily talk to whatever already listens there
        if (!isFree(port)) {
            throw new StartupException("port " + port + " is in use (another astra-local or DynamoDB Local?);"
                    + " pass --dynamodb-port N, or AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:" + port + " to use it");
        }
        try {
            Dynoxide dynoxide = Dynoxide.start(binary, port, dataDir);
            resources.push(dynoxide);
            return dynoxide.endpoint();
        } catch (IOException e) {
            throw new StartupException("cannot start " + binary + ": " + e.getMessage());
        }
    }

    /** dynoxide binds asynchronously; the first ListTables that answers means it is ready. */
    private void awaitDynamoDb(DynamoDbClient dynamo) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        SdkException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                dynamo.listTables(b -> b.limit(1));
                return;
            } catch (SdkException e) {
                last = e;
            }
            Optional<Dynoxide> died = resources.stream().filter(r -> r instanceof Dynoxide d && !d.isAlive())
                    .map(Dynoxide.class::cast).findFirst();
            if (died.isPresent()) {
                throw new StartupException("dynoxide exited during startup (port in use?): " + died.get().logTail());
            }
            sleep(100);
        }
        throw new StartupException("DynamoDB at " + dynamoEndpoint + " did not answer within 20 s: "
                + (last == null ? "" : last.getMessage()));
    }

    private void startHttp(int port, LambdaHandlers handlers, HttpApiRouter router, Duration integrationTimeout) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            ExecutorService pool = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    daemonThreads("astra-local-http"));
            server.setExecutor(pool);
            server.createContext("/", new ApiGatewayBridge(router, handlers, integrationTimeout));
            server.start();
            resources.push(() -> {
                server.stop(1);
                pool.shutdown();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            });
            httpUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        } catch (IOException e) {
            throw new StartupException("cannot listen on 127.0.0.1:" + port + " for the HTTP API: " + e.getMessage());
        }
    }

    public String httpUrl() { return httpUrl; }
    public String sqsEndpoint() { return sqsEndpoint; }
    public String eventsQueueUrl() { return queues.eventsUrl(); }
    public String dlqUrl() { return queues.dlqUrl(); }
    /** The URL of the template's queue {@code logicalId} (e.g. EventsFifoQueue), or of its DLQ. */
    public String queueUrl(String logicalId, boolean deadLetter) {
        QueueSetup.Queues q = allQueues.get(logicalId);
        return q == null ? null : deadLetter ? q.dlqUrl() : q.eventsUrl();
    }
    public String dynamoEndpoint() { return dynamoEndpoint; }
    public String tableName() { return tableName; }
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
     * Stops in the order that loses nothing: the SQS port agents use refuses first (their SDK
     * retries a refused send; an accepted one is stored), then the pollers finish or hand back
     * their batches, then HTTP, ElasticMQ with its H2 store, and dynoxide last.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (embeddedSqs != null) {
            embeddedSqs.refuse();
        }
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                System.err.println("[astra-local] while stopping: " + e);
            }
        }
        stopped.countDown();
    }

    void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code token --tenant T [--ttl 24h]}: every refusal is an exception whose message is one line. */
    static String tokenCommand(List<String> args, Map<String, String> env) {
        String tenant = null;
        Duration ttl = Duration.ofHours(24);
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            String value = i + 1 < args.size() ? args.get(++i) : null;
            switch (option) {
                case "--tenant" -> tenant = value;
                case "--ttl" -> ttl = Durations.parse(value).orElseThrow(() -> new IllegalArgumentException(
                        "--ttl " + (value == null ? "needs a value" : "'" + value + "' is not a duration") + "; expected "
                                + Durations.ACCEPTED));
                default -> throw new IllegalArgumentException("unknown token option " + option
                        + "; usage: token --tenant T [--ttl 24h]");
            }
        }
        if (tenant == null) {
            throw new IllegalArgumentException("usage: token --tenant T [--ttl 24h]");
        }
        Settings settings = Settings.parse(effective(env, userSettings(RunnerOptions.defaults(), env, Set.of())));
        return TokenIssuer.issueHs256(Settings.require(Settings.JWT_SECRET, settings.jwtSecret()), tenant, ttl);
    }

    /** The table the functions' TABLE_NAME refers to, else the template's only table. */
    private static String tableResource(TemplateModel template) {
        Map<String, Object> variables = TemplateModel.map(
                TemplateModel.map(template.globalFunction().get("Environment")).get("Variables"));
        Object ref = variables.get(Settings.TABLE_NAME);
        if (ref instanceof Map<?, ?> m && m.containsKey("Ref")) {
            return TemplateModel.referencedResource(ref);
        }
        return template.resourcesOfType("AWS::DynamoDB::Table").stream().findFirst()
                .orElseThrow(() -> new StartupException("template has no AWS::DynamoDB::Table"));
    }

    private static Optional<String> external(RunnerOptions options, Map<String, String> env, String key) {
        return Optional.ofNullable(options.settings.getOrDefault(key, env.get(key))).filter(v -> !v.isBlank());
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + dir, e);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting");
        }
    }

    /** ElasticMQ and Pekko are chatty at INFO; the runner's own output is the banner. */
    private static void quietLogging() {
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
