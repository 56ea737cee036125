package com.astra.webhooks.bench;

import com.astra.webhooks.observability.BatchMetrics;
import com.astra.webhooks.observability.JsonLog;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cold start of one way of writing a structured log record or a metrics record, in a fresh
 * JVM: the first record is the one that pays for loading the library. Started by
 * {@link ObservabilityColdStartBenchmark}. Prints {@code PROBE first=<ms from JVM start to the first
 * record written> second=<ms for the next one> classes=<loaded>}.
 *
 * <pre>
 * args: none | jsonlog | emf | log4j-json
 * </pre>
 *
 * {@code log4j-json} is log4j2 with its JSON template layout behind SLF4J, reached by reflection
 * because it is not a dependency of the project: it is what Powertools for AWS Lambda (Java)
 * logging runs on (with jackson-databind and Powertools' own classes on top), so its cost is a
 * lower bound for Powertools logging.
 */
public final class ObservabilityColdStartProbe {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        PrintStream out = System.out;
        // The records themselves go nowhere: only their cost is measured.
        AtomicInteger written = new AtomicInteger();
        System.setOut(new PrintStream(PrintStream.nullOutputStream()));
        long t0 = System.nanoTime();
        record(mode, written);
        long first = System.nanoTime();
        record(mode, written);
        long second = System.nanoTime();
        System.setOut(out);
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()
                - (System.nanoTime() - first) / 1_000_000;
        int classes = (int) ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        out.printf("PROBE first=%d second=%.2f own=%.1f classes=%d written=%d%n", sinceStart,
                (second - first) / 1e6, (first - t0) / 1e6, classes, written.get());
    }

    private static void record(String mode, AtomicInteger written) throws Exception {
        switch (mode) {
            case "none" -> written.incrementAndGet();
            case "jsonlog" -> new JsonLog((line, error) -> written.incrementAndGet(), "req-1")
                    .error("unhandled error").with("routeKey", "GET /webhooks").with("status", 500)
                    .exception(new IllegalStateException("probe")).write();
            case "emf" -> {
                BatchMetrics.Batch batch = new BatchMetrics("dispatcher", Clock.systemUTC())
                        .start((line, error) -> written.incrementAndGet(), "req-1");
                batch.delivered(120);
                batch.failed(10_000);
                batch.retryScheduled();
                batch.finish();
            }
            case "log4j-json" -> {
                if (System.getProperty("log4j2.configurationFile") == null) {
                    Path config = Files.createTempFile("log4j2", ".xml");
                    Files.writeString(config, """
                            <Configuration status="off">
                              <Appenders>
                                <Console name="out" target="SYSTEM_OUT">
                                  <JsonTemplateLayout eventTemplateUri="classpath:EcsLayout.json"/>
                                </Console>
                              </Appenders>
                              <Loggers><Root level="info"><AppenderRef ref="out"/></Root></Loggers>
                            </Configuration>""");
                    config.toFile().deleteOnExit();
                    System.setProperty("log4j2.configurationFile", config.toString());
                }
                Object logger = Class.forName("org.slf4j.LoggerFactory").getMethod("getLogger", String.class)
                        .invoke(null, "probe");
                logger.getClass().getMethod("error", String.class, Throwable.class)
                        .invoke(logger, "unhandled error", new IllegalStateException("probe"));
                written.incrementAndGet();
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }
}
