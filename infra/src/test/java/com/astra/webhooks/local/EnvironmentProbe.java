package com.astra.webhooks.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.astra.webhooks.config.LambdaEnvironment;
import com.astra.webhooks.config.Settings;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands in for a real handler under the real template's environment: answers with what the
 * function finds in its environment (the jar's {@link LambdaEnvironment}, as the handlers read it)
 * and what the handlers' {@link Settings#fromEnvironment()} makes of it.
 */
public class EnvironmentProbe implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        in.readAllBytes();
        Settings settings = Settings.fromEnvironment();
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("environment", new TreeMap<>(LambdaEnvironment.variables()));
        seen.put("deliveryTimeoutMs", settings.deliveryTimeout().toMillis());
        seen.put("retryDelays", settings.retrySchedule().delays().size());
        seen.put("disableAfterSeconds", settings.disableAfter().toSeconds());
        seen.put("deliveryThreads", settings.deliveryThreads());
        seen.put("jwtSecret", settings.jwtSecret() != null);
        out.write(JSON.std.asBytes(seen));
    }
}
