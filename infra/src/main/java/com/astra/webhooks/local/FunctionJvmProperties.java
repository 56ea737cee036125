package com.astra.webhooks.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The system properties ({@code -Dname=value}) of the template's global {@code JAVA_TOOL_OPTIONS},
 * for the runner's own JVM. On Lambda each function's JVM starts with them; locally the functions
 * share the runner's JVM, so they would otherwise never apply, and the runner would pay costs a
 * deployed function does not: with the JDK's default {@code http.maxConnections} (5 idle
 * connections per host) the SDK's URLConnection clients open a new connection for most DynamoDB
 * and SQS calls once more than five threads call at once. The JVM flags ({@code -XX:}) cannot be
 * set from inside and are left out.
 */
public final class FunctionJvmProperties {

    private FunctionJvmProperties() {}

    /** The {@code -D} options of {@code javaToolOptions}, in order; a bare {@code -Dname} is "". */
    static Map<String, String> parse(String javaToolOptions) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String option : javaToolOptions.trim().split("\\s+")) {
            if (option.startsWith("-D") && option.length() > 2) {
                int eq = option.indexOf('=');
                properties.put(eq < 0 ? option.substring(2) : option.substring(2, eq), eq < 0 ? "" : option.substring(eq + 1));
            }
        }
        return properties;
    }

    /**
     * The JVM flags ({@code -XX:…}) of the template's global JAVA_TOOL_OPTIONS, in order: what a
     * runner's JVM is started with to run the functions' code as deployed (the template's
     * {@code -XX:TieredStopAtLevel=1}, C1 only, costs the runner about a fifth less CPU per
     * delivery than the JDK's default JIT; docs/benchmarks.md).
     */
    public static List<String> jvmFlags(TemplateModel template) {
        Object options = javaToolOptions(template);
        if (!(options instanceof String s)) {
            return List.of();
        }
        List<String> flags = new ArrayList<>();
        for (String option : s.trim().split("\\s+")) {
            if (option.startsWith("-XX:")) {
                flags.add(option);
            }
        }
        return flags;
    }

    private static Object javaToolOptions(TemplateModel template) {
        return TemplateModel.map(TemplateModel.map(template.globalFunction().get("Environment")).get("Variables"))
                .get("JAVA_TOOL_OPTIONS");
    }

    /** The template's global JAVA_TOOL_OPTIONS properties; none when it sets no literal value. */
    static Map<String, String> of(TemplateModel template) {
        return javaToolOptions(template) instanceof String s ? parse(s) : Map.of();
    }

    /**
     * Sets each property the JVM's own command line did not; call before the first connection
     * (the JDK reads {@code http.maxConnections} once).
     */
    static void apply(TemplateModel template) {
        of(template).forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
    }
}
