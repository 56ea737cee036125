package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
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
        assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"),
                FunctionJvmProperties.jvmFlags(TemplateModel.bundled()));
    }
}
