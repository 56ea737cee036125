package com.astra.webhooks.local;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The template's functions, each in its own {@link LambdaFunction} sandbox (made on first use, so
 * one broken function only breaks its own routes), like separate Lambda functions.
 */
final class LambdaHandlers implements AutoCloseable {

    private final Map<String, LambdaFunction> functions = new ConcurrentHashMap<>();
    private final TemplateModel template;
    private final LambdaCode code;
    private final Map<String, Map<String, String>> environments;

    /** {@code environments}: each function's environment by name (see FunctionEnvironment). */
    LambdaHandlers(TemplateModel template, LambdaCode code, Map<String, Map<String, String>> environments) {
        this.template = template;
        this.code = code;
        this.environments = Map.copyOf(environments);
    }

    /** SAM handler strings are {@code com.example.Handler::method}. */
    static String className(String handler) {
        int sep = handler.lastIndexOf("::");
        return sep < 0 ? handler : handler.substring(0, sep);
    }

    /** Invokes the function named in the template with an event as JSON; returns its result as JSON. */
    byte[] invoke(String functionName, byte[] event) throws LambdaFunction.FunctionError {
        return functions.computeIfAbsent(functionName,
                name -> new LambdaFunction(template.function(name), code, environment(name)))
                .invoke(event);
    }

    /** The function's {@code Timeout} from the template, in seconds. */
    int timeoutSeconds(String functionName) {
        return template.function(functionName).timeoutSeconds();
    }

    private Map<String, String> environment(String functionName) {
        Map<String, String> environment = environments.get(functionName);
        if (environment == null) {
            throw new IllegalArgumentException("no environment for function " + functionName);
        }
        return environment;
    }

    @Override
    public void close() {
        functions.values().forEach(LambdaFunction::close);
    }
}
