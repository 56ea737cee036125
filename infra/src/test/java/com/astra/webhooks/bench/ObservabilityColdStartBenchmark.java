package com.astra.webhooks.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a structured-logging or metrics library costs a cold start: each way of writing the first
 * record, N times in a fresh JVM whose class path is the shaded Lambda jar (or, for log4j, the
 * log4j jars alone). Not a test: run by hand from the repository root, after the cold-start
 * benchmark's build command:
 *
 * <pre>
 * mvn -q dependency:copy -Dartifact=org.apache.logging.log4j:log4j-core:2.24.3 -DoutputDirectory=target/log4j
 * mvn -q dependency:copy -Dartifact=org.apache.logging.log4j:log4j-api:2.24.3 -DoutputDirectory=target/log4j
 * mvn -q dependency:copy -Dartifact=org.apache.logging.log4j:log4j-layout-template-json:2.24.3 -DoutputDirectory=target/log4j
 * mvn -q dependency:copy -Dartifact=org.apache.logging.log4j:log4j-slf4j2-impl:2.24.3 -DoutputDirectory=target/log4j
 * mvn -q dependency:copy -Dartifact=org.slf4j:slf4j-api:2.0.16 -DoutputDirectory=target/log4j
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.ObservabilityColdStartBenchmark 10 target/log4j
 * </pre>
 */
public final class ObservabilityColdStartBenchmark {

    private static final Pattern PROBE = Pattern.compile(
            "PROBE first=(-?\\d+) second=(\\S+) own=(\\S+) classes=(\\d+) written=(\\d+)");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path log4j = args.length > 1 ? Path.of(args[1]) : null;
        Path jar = Path.of("functions/target/astra-functions.jar");
        String probe = Path.of("infra/target/test-classes").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> classPaths = new LinkedHashMap<>();
        classPaths.put("none", jar + File.pathSeparator + probe);
        classPaths.put("jsonlog", jar + File.pathSeparator + probe);
        classPaths.put("emf", jar + File.pathSeparator + probe);
        if (log4j != null) {
            try (Stream<Path> jars = Files.list(log4j)) {
                classPaths.put("log4j-json", probe + File.pathSeparator
                        + String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList()));
            }
        }
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (Map.Entry<String, String> mode : classPaths.entrySet()) {
                Process p = new ProcessBuilder(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                        "-cp", mode.getValue(), ObservabilityColdStartProbe.class.getName(), mode.getKey())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException(mode.getKey() + " failed:\n" + out);
                }
                Matcher m = PROBE.matcher(out);
                if (!m.find()) {
                    throw new IllegalStateException(mode.getKey() + ": no PROBE line:\n" + out);
                }
                samples.computeIfAbsent(mode.getKey(), k -> new ArrayList<>()).add(new double[] {
                        Double.parseDouble(m.group(1)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(4))});
            }
        }
        System.out.printf("medians of %d, JDK %s, template JIT flags%n", runs, System.getProperty("java.version"));
        System.out.printf("%-12s %14s %16s %12s %8s%n", "mode", "->1st record", "1st record own", "2nd record", "classes");
        samples.forEach((mode, list) -> System.out.printf("%-12s %14.0f %16.1f %12.2f %8.0f%n", mode,
                median(list, 0), median(list, 1), median(list, 2), median(list, 3)));
    }

    private static double median(List<double[]> list, int index) {
        double[] values = list.stream().mapToDouble(s -> s[index]).sorted().toArray();
        return values[values.length / 2];
    }
}
