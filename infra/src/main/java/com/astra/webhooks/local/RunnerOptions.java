package com.astra.webhooks.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How to start the runner. Port 0 picks a free port. {@code settings} are the user's settings, as
 * if they were in the runner's environment: each goes to the functions whose template entry
 * declares it (see FunctionEnvironment).
 */
public final class RunnerOptions {

    int httpPort = 3000;
    int sqsPort = 9324;
    int dynamoDbPort = 8000;
    /** Concurrent batches of the SQS event source; null follows the template (see EventSourceMapping.concurrency). */
    Integer pollers;
    boolean inMemory;
    Path dataDir = Path.of(".astra-local");
    Path template;
    LambdaCode code;
    final Map<String, String> settings = new LinkedHashMap<>();
    /** API Gateway's integration timeout; tests shorten it (no flag: the runner is never kinder than AWS). */
    Duration integrationTimeout = ApiGatewayBridge.INTEGRATION_TIMEOUT;

    public static RunnerOptions defaults() {
        return new RunnerOptions();
    }

    /** Environment first ({@code ASTRA_HTTP_PORT}, {@code ASTRA_DATA_DIR}, ...), then flags. */
    public static RunnerOptions parse(String[] args, Map<String, String> env) {
        RunnerOptions o = new RunnerOptions();
        env(env, "ASTRA_HTTP_PORT").ifPresent(v -> o.httpPort = number("ASTRA_HTTP_PORT", v, 65535));
        env(env, "ASTRA_SQS_PORT").ifPresent(v -> o.sqsPort = number("ASTRA_SQS_PORT", v, 65535));
        env(env, "ASTRA_DYNAMODB_PORT").ifPresent(v -> o.dynamoDbPort = number("ASTRA_DYNAMODB_PORT", v, 65535));
        env(env, "ASTRA_POLLERS").ifPresent(v -> o.pollers = number("ASTRA_POLLERS", v, 64));
        env(env, "ASTRA_DATA_DIR").ifPresent(v -> o.dataDir = Path.of(v));
        env(env, "ASTRA_IN_MEMORY").ifPresent(v -> o.inMemory = bool("ASTRA_IN_MEMORY", v));
        env(env, "ASTRA_TEMPLATE").ifPresent(v -> o.template = Path.of(v));
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--in-memory" -> o.inMemory = true;
                case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, flag));
                case "--http-port" -> o.httpPort = number(flag, value(args, ++i, flag), 65535);
                case "--sqs-port" -> o.sqsPort = number(flag, value(args, ++i, flag), 65535);
                case "--dynamodb-port" -> o.dynamoDbPort = number(flag, value(args, ++i, flag), 65535);
                case "--pollers" -> o.pollers = number(flag, value(args, ++i, flag), 64);
                case "--template" -> o.template = Path.of(value(args, ++i, flag));
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + usage());
            }
        }
        return o;
    }

    static String usage() {
        return """
                usage: java -jar astra-local.jar [options]
                       java -jar astra-local.jar token --tenant T [--ttl 24h]
                  --data-dir DIR       state directory (default .astra-local)   env ASTRA_DATA_DIR
                  --in-memory          start empty, keep nothing               env ASTRA_IN_MEMORY=true
                  --http-port N        HTTP API port (default 3000, 0 = any)    env ASTRA_HTTP_PORT
                  --sqs-port N         ElasticMQ port (default 9324)            env ASTRA_SQS_PORT
                  --dynamodb-port N    dynoxide port (default 8000)             env ASTRA_DYNAMODB_PORT
                  --pollers N          concurrent SQS batches (default: the template's
                                       MaximumConcurrency, at most 8; 0 = none) env ASTRA_POLLERS
                  --template FILE      SAM template (default: the bundled one)  env ASTRA_TEMPLATE
                  AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS use an existing DynamoDB / SQS instead.""";
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** As strict as the service's settings: plain digits in range, or one line saying what is accepted. */
    private static int number(String name, String value, int max) {
        if (value.length() <= 5 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(value);
            if (n <= max) {
                return n;
            }
        }
        throw new IllegalArgumentException(name + "=" + value + " is not valid; expected a whole number from 0 to " + max);
    }

    private static boolean bool(String name, String value) {
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + "=" + value + " is not valid; expected true or false");
        };
    }

    private static Optional<String> env(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    public RunnerOptions httpPort(int port) { this.httpPort = port; return this; }
    public RunnerOptions sqsPort(int port) { this.sqsPort = port; return this; }
    public RunnerOptions dynamoDbPort(int port) { this.dynamoDbPort = port; return this; }
    /** All three ports 0: what tests want. */
    public RunnerOptions freePorts() { return httpPort(0).sqsPort(0).dynamoDbPort(0); }
    public RunnerOptions pollers(int count) { this.pollers = count; return this; }
    public RunnerOptions inMemory(boolean inMemory) { this.inMemory = inMemory; return this; }
    public RunnerOptions dataDir(Path dir) { this.dataDir = dir; return this; }
    /** A template file instead of the bundled template.yaml (tests point handlers at stubs). */
    public RunnerOptions template(Path file) { this.template = file; return this; }
    /** Other function code than the bundled astra-functions.jar (tests: stub handlers). */
    public RunnerOptions code(LambdaCode code) { this.code = code; return this; }
    RunnerOptions integrationTimeout(Duration timeout) { this.integrationTimeout = timeout; return this; }
    public RunnerOptions setting(String name, String value) { this.settings.put(name, value); return this; }
    public RunnerOptions settings(Map<String, String> values) { this.settings.putAll(values); return this; }
}
