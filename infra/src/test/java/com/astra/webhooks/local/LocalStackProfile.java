package com.astra.webhooks.local;

import java.util.Map;
import org.opentest4j.TestAbortedException;

/**
 * {@code mvn verify -Plocalstack} sets {@code astra.localstack=true} and adds
 * {@code LocalStackEndpoints} (Testcontainers) to the test sources. Reached by reflection so
 * that the default build neither compiles against nor downloads Testcontainers.
 */
final class LocalStackProfile {
    private LocalStackProfile() {}

    private static volatile boolean announced;

    static boolean active() {
        return Boolean.getBoolean("astra.localstack");
    }

    /** LocalStack's endpoints for the runner, or a skip (one line, once) when Docker is missing. */
    @SuppressWarnings("unchecked")
    static Map<String, String> endpoints() {
        Map<String, String> endpoints;
        try {
            endpoints = (Map<String, String>) Class.forName("com.astra.webhooks.local.LocalStackEndpoints")
                    .getMethod("start").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the localstack profile's sources are missing: " + e, e);
        }
        if (endpoints.isEmpty()) {
            if (!announced) {
                announced = true;
                System.out.println("localstack profile: no Docker engine on this machine, so LocalStack cannot start;"
                        + " the suites that need the runner are skipped");
            }
            throw new TestAbortedException("no Docker engine for LocalStack");
        }
        return endpoints;
    }
}
