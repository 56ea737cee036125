package com.astra.webhooks.config;

import java.util.Map;

/**
 * The function's environment variables: on Lambda, the process environment.
 *
 * <p>The one exception is the local runner. It runs every function of the template in one JVM,
 * each in its own class loader over this jar, and one process has one environment (JVM system
 * properties are just as shared). A static field is not shared: each loader has its own copy of
 * this class, so the runner sets {@code variables} by reflection in a function's loader, before
 * that function's handler is loaded, to exactly what Lambda would give that function. Nothing
 * deployed sets it, so on Lambda it stays null.
 */
public final class LambdaEnvironment {

    /** Set only by the local runner (infra {@code LambdaFunction}); null on Lambda. */
    private static volatile Map<String, String> variables;

    private LambdaEnvironment() {}

    public static Map<String, String> variables() {
        Map<String, String> local = variables;
        return local != null ? local : System.getenv();
    }
}
