package com.astra.webhooks.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's CPU time per thread, read from outside with {@code jcmd <pid> Thread.print} (each
 * thread's {@code cpu=}), and grouped by what the threads do in the local runner. Black box: the
 * runner needs no agent or option for it. A thread that ends between two snapshots is missing
 * from the difference; the process total ({@link ProcessHandle.Info#totalCpuDuration()}) still
 * counts it, so the groups add up to a little less than the total.
 */
final class ThreadCpu {

    /** The groups, in the order they are reported. */
    static final List<String> GROUPS = List.of("SQS stand-in", "event source", "function", "JVM", "other");

    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" .*?cpu=([0-9.]+)ms .*?nid=(0x[0-9a-f]+)");

    private ThreadCpu() {}

    /** CPU ms per native thread id, with the thread's name. */
    record Snapshot(Map<String, String> names, Map<String, Double> cpuMs) {}

    static Snapshot snapshot(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("jcmd " + pid + " Thread.print failed: " + out);
        }
        Map<String, String> names = new HashMap<>();
        Map<String, Double> cpu = new HashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = THREAD.matcher(line);
            if (m.find()) {
                names.put(m.group(3), m.group(1));
                cpu.put(m.group(3), Double.parseDouble(m.group(2)));
            }
        }
        return new Snapshot(names, cpu);
    }

    /** CPU ms spent between two snapshots, per group of {@link #GROUPS}. */
    static Map<String, Double> between(Snapshot before, Snapshot after) {
        Map<String, Double> groups = new LinkedHashMap<>();
        GROUPS.forEach(g -> groups.put(g, 0.0));
        after.cpuMs().forEach((nid, ms) -> {
            double spent = ms - before.cpuMs().getOrDefault(nid, 0.0);
            groups.merge(group(after.names().get(nid)), spent, Double::sum);
        });
        return groups;
    }

    /**
     * ElasticMQ runs in the runner's Pekko actor system ("astra-local-sqs-…"); the event source
     * mappings poll and delete on their own threads; the function runs on the invoke threads and
     * on the threads it starts itself (its delivery pool, the receivers' HTTP client and its
     * selector, the slow lane's watch); the JVM's own are the JIT and the garbage collector.
     */
    static String group(String name) {
        if (name.startsWith("astra-local-sqs-poller") || name.startsWith("astra-local-sqs-delete")) {
            return "event source";
        }
        if (name.startsWith("astra-local-sqs")) {
            return "SQS stand-in";
        }
        if (name.startsWith("astra-local-invoke") || name.startsWith("delivery-") || name.startsWith("http-client-")
                || name.startsWith("HttpClient-") || name.equals("slow-lane-watch")) {
            return "function";
        }
        if (name.contains("CompilerThread") || name.startsWith("GC Thread") || name.startsWith("G1 ")
                || name.startsWith("VM ") || name.equals("Sweeper thread") || name.equals("Service Thread")
                || name.equals("Monitor Deflation Thread")) {
            return "JVM";
        }
        return "other";
    }

    /** The threads of a group that spent the most, for a look at what "other" holds. */
    static Map<String, Double> top(Snapshot before, Snapshot after, int n) {
        Map<String, Double> byName = new HashMap<>();
        after.cpuMs().forEach((nid, ms) -> byName.merge(after.names().get(nid).replaceAll("\\d+$", ""),
                ms - before.cpuMs().getOrDefault(nid, 0.0), Double::sum));
        Map<String, Double> top = new LinkedHashMap<>();
        byName.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(n)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }
}
