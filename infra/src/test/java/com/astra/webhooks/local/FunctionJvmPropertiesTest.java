package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FunctionJvmPropertiesTest {

    @Test
    void keepsOnlyTheSystemProperties() {
        assertEquals(Map.of("http.maxConnections", "128", "flag", "", "a", "b=c"),
                FunctionJvmProperties.parse(" -XX:+TieredCompilation  -Dhttp.maxConnections=128 -Dflag -Da=b=c -D "));
    }

    @Test
    void theBundledTemplateKeepsConnectionsForTheDeliveryThreads() {
        int kept = Integer.parseInt(FunctionJvmProperties.of(TemplateModel.bundled()).get("http.maxConnections"));
        // the dispatcher's default MAX_CONCURRENCY: each delivery thread can keep its connection
        assertEquals(true, kept >= com.astra.webhooks.config.Settings.DEFAULT_DELIVERY_THREADS, "kept " + kept);
    }

    @Test
    void aTemplateWithoutOptionsSetsNothing() {
        assertEquals(Map.of(), FunctionJvmProperties.of(TemplateModel.parse("Resources: {}\n")));
        assertEquals(List.of(), FunctionJvmProperties.jvmFlags(TemplateModel.parse("Resources: {}\n")));
    }

    @Test
    void theBundledTemplatesJitFlagsAreListedForTheRunnersJvm() {
        // the benchmarks start the runner with them, as each deployed function's JVM starts
        assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                FunctionJvmProperties.jvmFlags(TemplateModel.bundled()));
    }

    @Test
    void onTwoProcessorsTheTemplatesOptionsGiveAsyncStepsAPoolNotAThreadEach() throws Exception {
        // Lambda shows the JVM 2 processors; the JDK's HttpClient takes one async step per sendAsync
        List<String> options = new ArrayList<>(FunctionJvmProperties.jvmFlags(TemplateModel.bundled()));
        FunctionJvmProperties.of(TemplateModel.bundled()).forEach((name, value) -> options.add("-D" + name + "=" + value));
        assertEquals("java.util.concurrent.ForkJoinPool", defaultExecutorOnTwoProcessors(options));
        // without them: a new thread for every step (the test can tell the difference)
        assertEquals("java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor", defaultExecutorOnTwoProcessors(List.of()));
    }

    private static String defaultExecutorOnTwoProcessors(List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=2"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DefaultExecutor.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    /** Prints the class of CompletableFuture's default executor. */
    public static final class DefaultExecutor {
        public static void main(String[] args) {
            System.out.println(new CompletableFuture<Void>().defaultExecutor().getClass().getName());
        }
    }
}
