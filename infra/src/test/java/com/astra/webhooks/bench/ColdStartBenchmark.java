package com.astra.webhooks.bench;

import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.local.TemplateModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of each Lambda handler, as close as we get without Lambda: a fresh JVM per sample
 * whose class path is only the shaded Lambda jar, the runtime's serialization library and
 * {@link ColdStartProbe} (which hands each handler its event as the runtime does), with the
 * template's JAVA_TOOL_OPTIONS and, side by side, with the JVM's default JIT, against an
 * in-memory local runner (dynoxide + ElasticMQ). Reports medians and which libraries the
 * loaded classes come from. Not a test: a main to run by hand, from the repository root:
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.ColdStartBenchmark 5
 * </pre>
 *
 * The argument is the number of cold starts per handler and JIT setting (default 5); a second
 * argument {@code secrets-manager} reads the HS256 secret from a stand-in Secrets Manager
 * endpoint through JWT_SECRET_ARN, as deployed functions do.
 *
 * <p>{@code -Dcoldstart.compare=DIR} measures another build side by side, interleaved with this
 * one: DIR holds its {@code astra-functions.jar} and {@code astra-local.jar} (copies of
 * functions/target and infra/target). Each build is then also timed through a fresh runner: a
 * new {@code java -jar astra-local.jar} per sample, the first and second {@code GET /webhooks}
 * (what a developer's first request costs), and the runner's CPU time over the first.
 * {@code -Dcoldstart.jit=template} drops the default-JIT rows. {@code -Dcoldstart.flags="-XX:…"}
 * adds rows with the template's options and these flags, to try JVM flags side by side.
 * {@code -Dcoldstart.classlog=DIR} keeps each handler's {@code -Xlog:class+load} log there (load
 * order shows what pulls a library in). Children run one at a time with this JVM's {@code java} (JDK 17 here; Lambda runs java21 on arm64, so take
 * the numbers as relative, not absolute). Not measured: the rest of the Lambda runtime
 * interface client (the probe does its JSON -> event mapping), SnapStart restore, and a real
 * network round trip to DynamoDB.
 */
public final class ColdStartBenchmark {

    private static final String SECRET = "coldstart-secret";

    private static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:astra-jwt-AbCdEf";
    /** Used only if the template's Globals no longer has a one-line JAVA_TOOL_OPTIONS. */
    private static final String FALLBACK_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    private static final Pattern PROBE = Pattern.compile(
            "PROBE main=(\\S+) constructed=(\\S+) first=(\\S+) second=(\\S+) classes=(\\d+) cpu=(\\S+) result=(\\S+)");

    record Target(String label, String handlerClass, String path) {}

    record Sample(double main, double constructed, double first, double second, int classes, double cpu, double wall,
            String result) {}

    /** A build to measure: its Lambda jar and, for the fresh-runner rows, its runner jar. */
    record Build(String label, Path jar, Path runnerJar) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // "secrets-manager": the HS256 secret comes from Secrets Manager (JWT_SECRET_ARN), as on AWS
        boolean secretsManager = args.length > 1 && args[1].equals("secrets-manager");
        Path repo = repoRoot();
        List<Build> builds = new ArrayList<>();
        String compare = System.getProperty("coldstart.compare");
        if (compare != null) {
            Path dir = Path.of(compare).toAbsolutePath();
            builds.add(new Build("compared (" + dir.getFileName() + ")", dir.resolve("astra-functions.jar"),
                    dir.resolve("astra-local.jar")));
        }
        builds.add(new Build(compare != null ? "this build" : "", repo.resolve("functions/target/astra-functions.jar"),
                repo.resolve("infra/target/astra-local.jar")));
        Path probeClasses = repo.resolve("infra/target/test-classes");
        String toolOptions = templateToolOptions(repo.resolve("template.yaml"));
        TemplateModel template = TemplateModel.load(repo.resolve("template.yaml"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        List<Target> targets = List.of(
                new Target("(baseline: JVM + probe only)", "none", null),
                new Target("WebhooksHandler GET /webhooks", "com.astra.webhooks.api.WebhooksHandler", "/webhooks"),
                new Target("InspectorHandler GET /webhook-inspector", "com.astra.webhooks.api.InspectorHandler", "/webhook-inspector"),
                new Target("TestModeHandler GET /webhooks/test-mode", "com.astra.webhooks.api.TestModeHandler", "/webhooks/test-mode"),
                new Target("DispatcherHandler 1 event -> 1 webhook", "com.astra.webhooks.worker.DispatcherHandler", null));
        Map<String, String> modes = new LinkedHashMap<>();
        modes.put("template", toolOptions);
        String moreFlags = System.getProperty("coldstart.flags");
        if (moreFlags != null) {
            modes.put("+" + moreFlags, toolOptions + " " + moreFlags);
        }
        if (!"template".equals(System.getProperty("coldstart.jit"))) {
            modes.put("default JIT", null);
        }

        Receiver receiver = new Receiver();
        // Secrets Manager's GetSecretValue, as the JWT secret's reader calls it
        Receiver secrets = new Receiver().otherwise(new Receiver.Answer(200, Duration.ZERO,
                "{\"ARN\":\"" + SECRET_ARN + "\",\"Name\":\"astra-jwt\",\"SecretString\":\"" + SECRET + "\"}", null,
                Map.of("Content-Type", "application/x-amz-json-1.1")));
        Map<String, String> settings = Map.of("JWT_SECRET", SECRET, "ALLOW_PRIVATE_TARGETS", "true", "REQUIRE_HTTPS", "false");
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).settings(settings))) {
            String tenant = "cold-" + UUID.randomUUID();
            String token = runner.token(tenant);
            createWebhook(runner, token, receiver.url("/hook"));

            Map<String, String> env = new LinkedHashMap<>(System.getenv());
            env.remove("JAVA_TOOL_OPTIONS");
            env.put("TABLE_NAME", runner.tableName());
            env.put("AWS_ENDPOINT_URL_DYNAMODB", runner.dynamoEndpoint());
            env.put("AWS_ENDPOINT_URL_SQS", runner.sqsEndpoint());
            env.put("EVENTS_QUEUE_URL", runner.eventsQueueUrl());
            env.put("DLQ_URL", runner.dlqUrl());
            env.put("AWS_REGION", "us-east-1");
            env.put("JWT_SECRET", SECRET);
            env.put("ALLOW_PRIVATE_TARGETS", "true");
            env.put("REQUIRE_HTTPS", "false");
            // Lambda hands the function credentials in the environment: take the same SDK path.
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("AWS_SESSION_TOKEN", "local");
            env.put("AWS_LAMBDA_FUNCTION_NAME", "coldstart-probe");
            if (secretsManager) {
                env.remove("JWT_SECRET");
                env.put("JWT_SECRET_ARN", SECRET_ARN);
                env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.url(""));
            }

            System.out.printf("cold-start benchmark: %d runs per handler and JIT setting, %s (%s)%n",
                    runs, java, System.getProperty("java.version"));
            for (Build build : builds) {
                System.out.printf("jar %s %s: %.2f MB; template JAVA_TOOL_OPTIONS: %s%n", build.label(), build.jar(),
                        Files.size(build.jar()) / 1_048_576.0, toolOptions);
            }
            System.out.println();

            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (int run = 0; run < runs; run++) {
                // Interleaved, so drift on a shared machine spreads over every row alike.
                for (Target target : targets) {
                    for (Build build : builds) {
                        for (Map.Entry<String, String> mode : modes.entrySet()) {
                            Sample s = probe(java, build.jar(), probeClasses, repo, env, mode.getValue(), target,
                                    memoryMb(template, target), tenant, token, List.of());
                            samples.computeIfAbsent(key(target, build, mode.getKey()), k -> new ArrayList<>()).add(s);
                        }
                    }
                }
            }
            printTable(targets, builds, modes, samples);
            for (Target target : targets.subList(1, targets.size())) {
                for (Build build : builds) {
                    Path log = Files.createTempFile("coldstart-classload", ".log");
                    try {
                        probe(java, build.jar(), probeClasses, repo, env, toolOptions, target, memoryMb(template, target),
                                tenant, token, List.of("-Xlog:class+load=info:file=" + log));
                        System.out.print(build.label().isEmpty() ? "" : "[" + build.label() + "] ");
                        printClassSources(target, log);
                        keepClassLog(log, target, build);
                    } finally {
                        Files.deleteIfExists(log);
                    }
                }
            }
            if (compare != null) {
                freshRunners(java, repo, builds, runs);
            }
        } finally {
            receiver.close();
            secrets.close();
        }
    }

    /** GET PATH with a bearer token: the payload v2.0 JSON API Gateway HTTP API sends. */
    private static String apiEvent(String token, String path) {
        return """
                {"version": "2.0", "routeKey": "GET %1$s", "rawPath": "%1$s", "rawQueryString": "",
                 "headers": {"authorization": "Bearer %2$s", "content-type": "application/json"},
                 "requestContext": {"accountId": "123456789012", "apiId": "local", "domainName": "localhost",
                   "requestId": "%3$s", "routeKey": "GET %1$s", "stage": "$default", "timeEpoch": %4$d,
                   "http": {"method": "GET", "path": "%1$s", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                            "userAgent": "coldstart-probe"}},
                 "isBase64Encoded": false}""".formatted(path, token, UUID.randomUUID(), System.currentTimeMillis());
    }

    /** One agent_completed event for TENANT: the JSON Lambda's SQS poller sends. */
    private static String sqsEvent(String tenant) {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String body = ("{\"event\": \"agent_completed\", \"tenant\": \"" + tenant + "\", \"id\": \"" + id + "\", "
                + "\"timestamp\": \"2026-11-26T12:00:00Z\", \"data\": {\"agentId\": \"agent_7\", "
                + "\"runId\": \"run_42\", \"status\": \"succeeded\", \"durationMs\": 1834}}").replace("\"", "\\\"");
        return """
                {"Records": [{"messageId": "%1$s", "receiptHandle": "probe", "body": "%2$s",
                  "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "%3$d"},
                  "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                  "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:astra-events", "awsRegion": "us-east-1"}]}"""
                .formatted(UUID.randomUUID(), body, System.currentTimeMillis());
    }

    private static Sample probe(String java, Path jar, Path probeClasses, Path repo, Map<String, String> env,
            String toolOptions, Target target, int memoryMb, String tenant, String token, List<String> extraJvmArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-Djdk.net.hosts.file=" + repo.resolve("test-hosts")));
        // the heap a function's JVM starts with: sized from the function's memory, not this machine's
        // (1,024 MB: a 15 MB heap and eight young collections before the first response, none with 24 GB)
        command.add("-XX:MaxRAM=" + memoryMb + "m");
        command.addAll(extraJvmArgs);
        // the Lambda runtime's serialization library: the runtime maps typed handlers' events with it
        Path serialization = repo.resolve("infra/target/classes/lambda/runtime/aws-lambda-java-serialization.jar");
        command.addAll(List.of("-cp", jar + ":" + serialization + ":" + probeClasses, ColdStartProbe.class.getName(),
                target.handlerClass()));
        List<Path> eventFiles = new ArrayList<>();
        if (!"none".equals(target.handlerClass())) {
            command.add(target.path() != null ? "api" : "sqs");
            for (int i = 0; i < 2; i++) {
                Path file = Files.createTempFile("coldstart-event", ".json");
                Files.writeString(file, target.path() != null ? apiEvent(token, target.path()) : sqsEvent(tenant));
                eventFiles.add(file);
                command.add(file.toString());
            }
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        if (toolOptions != null) {
            pb.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        Path err = Files.createTempFile("coldstart-probe", ".err");
        pb.redirectError(err.toFile());
        long start = System.nanoTime();
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("probe timed out: " + command);
        }
        double wall = (System.nanoTime() - start) / 1_000_000.0;
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        for (Path file : eventFiles) {
            Files.deleteIfExists(file);
        }
        Matcher m = PROBE.matcher(out);
        if (process.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("probe failed (exit " + process.exitValue() + "): " + command
                    + "\nstdout:\n" + out + "\nstderr:\n" + stderr);
        }
        Sample s = new Sample(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)), Integer.parseInt(m.group(5)), Double.parseDouble(m.group(6)), wall,
                m.group(7));
        if (!expected(target, s.result())) {
            throw new IllegalStateException("unexpected handler result " + s.result() + " for " + target.label()
                    + "\nstderr:\n" + stderr);
        }
        return s;
    }

    /** A sample only counts if the handler did the real work: 200s, no failed SQS records. */
    private static boolean expected(Target target, String result) {
        if ("none".equals(target.handlerClass())) {
            return true;
        }
        return target.path() != null ? result.equals("200,200") : result.equals("failures:0,failures:0");
    }

    private static String key(Target target, Build build, String mode) {
        return target.label() + "|" + build.label() + "|" + mode;
    }

    private static void printTable(List<Target> targets, List<Build> builds, Map<String, String> modes,
            Map<String, List<Sample>> samples) {
        System.out.println("medians in ms (JVM start = RuntimeMXBean start time; process = spawn to exit, seen from the parent;"
                + " cpu = the JVM's CPU time, all threads, up to the first response)");
        System.out.printf("%-42s %-22s %-20s %8s %12s %9s %9s %10s %9s %9s %8s%n",
                "handler", "build", "JIT", "->main", "->construct", "1st call", "2nd call", "->1st resp", "cpu", "process",
                "classes");
        for (Target target : targets) {
            for (Build build : builds) {
                for (String mode : modes.keySet()) {
                    List<Sample> list = samples.get(key(target, build, mode));
                    double constructed = median(list, Sample::constructed);
                    double first = median(list, Sample::first);
                    System.out.printf("%-42s %-22s %-20s %8.0f %12.0f %9.0f %9.1f %10.0f %9.0f %9.0f %8.0f%n",
                            target.label(), build.label(), mode, median(list, Sample::main), constructed, first,
                            median(list, Sample::second), median(list, s -> s.constructed() + s.first()),
                            median(list, Sample::cpu), median(list, Sample::wall), median(list, s -> s.classes()));
                }
            }
        }
        System.out.println();
    }

    private static final Pattern BANNER_TOKEN = Pattern.compile("Authorization: Bearer (\\S+)\" (\\S+)/webhooks");

    /**
     * The first and second {@code GET /webhooks} through a new runner JVM per sample and build
     * (interleaved): the runner's start is not counted, the handler's cold start inside it is.
     */
    private static void freshRunners(String java, Path repo, List<Build> builds, int runs) throws Exception {
        Map<String, List<double[]>> times = new LinkedHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int run = 0; run < runs; run++) {
            for (Build build : builds) {
                Path data = Files.createTempDirectory("coldstart-runner");
                List<String> command = List.of(java, "-Djdk.net.hosts.file=" + repo.resolve("test-hosts"),
                        "-jar", build.runnerJar().toString(), "--in-memory", "--http-port", "0",
                        "--sqs-port", Integer.toString(freePort()), "--dynamodb-port", Integer.toString(freePort()),
                        "--pollers", "0", "--data-dir", data.toString());
                ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
                pb.environment().remove("JAVA_TOOL_OPTIONS");
                Process runner = pb.start();
                try {
                    BufferedReader out = new BufferedReader(
                            new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8));
                    Matcher banner = null;
                    for (String line; (line = out.readLine()) != null; ) {
                        Matcher m = BANNER_TOKEN.matcher(line);
                        if (m.find()) {
                            banner = m;
                            break;
                        }
                    }
                    if (banner == null) {
                        throw new IllegalStateException("runner " + build.runnerJar() + " printed no token");
                    }
                    Thread drain = new Thread(() -> {
                        try {
                            out.transferTo(Writer.nullWriter());
                        } catch (IOException ignored) {
                            // the runner stopped
                        }
                    });
                    drain.setDaemon(true);
                    drain.start();
                    HttpRequest get = HttpRequest.newBuilder(URI.create(banner.group(2) + "/webhooks"))
                            .header("authorization", "Bearer " + banner.group(1)).build();
                    double[] sample = new double[3];
                    for (int i = 0; i < 2; i++) {
                        double cpuBefore = cpuMs(runner);
                        long start = System.nanoTime();
                        HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
                        sample[i] = (System.nanoTime() - start) / 1_000_000.0;
                        if (i == 0) {
                            sample[2] = cpuMs(runner) - cpuBefore;
                        }
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("GET /webhooks: " + response.statusCode() + " " + response.body());
                        }
                    }
                    times.computeIfAbsent(build.label(), k -> new ArrayList<>()).add(sample);
                } finally {
                    runner.destroy();
                    if (!runner.waitFor(30, TimeUnit.SECONDS)) {
                        runner.destroyForcibly();
                    }
                }
            }
        }
        System.out.println("GET /webhooks through a fresh runner (java -jar astra-local.jar, one per sample), medians in ms:");
        System.out.printf("%-26s %10s %10s %12s%n", "build", "1st GET", "2nd GET", "1st GET cpu");
        times.forEach((label, list) -> {
            List<Double> first = new ArrayList<>();
            List<Double> second = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            list.forEach(t -> { first.add(t[0]); second.add(t[1]); cpu.add(t[2]); });
            System.out.printf("%-26s %10.0f %10.1f %12.0f%n", label, medianOf(first), medianOf(second), medianOf(cpu));
        });
        System.out.println();
    }

    /** The runner JVM's CPU time so far, all threads: what its first request cost, seen from outside. */
    private static double cpuMs(Process process) {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1_000_000.0).orElse(-1.0);
    }

    private static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double median(List<Sample> list, java.util.function.ToDoubleFunction<Sample> f) {
        List<Double> values = new ArrayList<>();
        list.forEach(s -> values.add(f.applyAsDouble(s)));
        return medianOf(values);
    }

    /** AWS SDK by module (services by service), libraries by vendor, the JDK by its top two packages (three for sun.security, jdk.internal). */
    static String group(String className) {
        String[] parts = className.split("\\.");
        if (className.startsWith("software.amazon.awssdk.")) {
            int depth = className.startsWith("software.amazon.awssdk.services.") ? 5 : 4;
            return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
        }
        if (parts.length < 3) {
            return "other";
        }
        if ((className.startsWith("sun.security.") || className.startsWith("jdk.internal.")) && parts.length > 3) {
            return parts[0] + "." + parts[1] + "." + parts[2] + ".*";
        }
        return parts[0] + "." + parts[1] + ".*";
    }

    /** With -Dcoldstart.classlog=DIR, the class-load logs (in load order) stay there, to see what pulls a library in. */
    private static void keepClassLog(Path log, Target target, Build build) throws IOException {
        String dir = System.getProperty("coldstart.classlog");
        if (dir != null) {
            String name = target.handlerClass().substring(target.handlerClass().lastIndexOf('.') + 1)
                    + (build.label().startsWith("compared") ? "-compared" : "") + ".log";
            Files.createDirectories(Path.of(dir));
            Files.copy(log, Path.of(dir, name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Loaded classes of one cold start (both invocations) by library, from -Xlog:class+load. */
    private static void printClassSources(Target target, Path log) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        int total = 0;
        int fromCds = 0;
        Pattern line = Pattern.compile("\\[class,load\\s*\\] (\\S+) source: (.*)$");
        for (String l : Files.readAllLines(log)) {
            Matcher m = line.matcher(l);
            if (!m.find()) {
                continue;
            }
            total++;
            if (m.group(2).contains("shared objects file")) {
                fromCds++;
            }
            counts.merge(group(m.group(1)), 1, Integer::sum);
        }
        System.out.printf("classes loaded by %s (template flags): %d, %d of them from the JDK's CDS archive; top 25 groups:%n",
                target.label(), total, fromCds);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(25)
                .forEach(e -> System.out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
        System.out.println();
    }

    private static void createWebhook(LocalRunner runner, String token, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(runner.httpUrl() + "/webhooks"))
                        .header("authorization", "Bearer " + token)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"url\": \"" + url + "\", \"events\": [\"agent_completed\"], \"description\": \"cold start\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the webhook: " + response.statusCode() + " " + response.body());
        }
    }

    /** The one-line JAVA_TOOL_OPTIONS of the template's Globals (what every function gets). */
    static String templateToolOptions(Path template) throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s+JAVA_TOOL_OPTIONS:\\s*\"?([^\"\\n]+?)\"?\\s*$").matcher(Files.readString(template));
        return m.find() ? m.group(1) : FALLBACK_TOOL_OPTIONS;
    }

    /**
     * The {@code MemorySize} of the function whose handler the target runs; the baseline runs none
     * and gets the largest of the template's.
     */
    static int memoryMb(TemplateModel template, Target target) {
        return template.functions().stream()
                .filter(f -> "none".equals(target.handlerClass()) || f.handler().startsWith(target.handlerClass() + "::"))
                .mapToInt(TemplateModel.Function::memoryMb).max()
                .orElseThrow(() -> new IllegalStateException("no function of the template runs " + target.handlerClass()));
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("template.yaml")) && Files.isDirectory(d.resolve("functions"))) {
                if (!Files.exists(d.resolve("functions/target/astra-functions.jar"))) {
                    throw new IllegalStateException("build the Lambda jar first (see the command in ColdStartBenchmark)");
                }
                return d;
            }
        }
        throw new IllegalStateException("run from the repository root: no template.yaml above " + dir);
    }
}
