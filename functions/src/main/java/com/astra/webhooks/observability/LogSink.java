package com.astra.webhooks.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;

/**
 * Where a finished JSON line goes: one call is one log record. On Lambda that is the runtime's
 * {@link LambdaLogger}, whose byte[] variant writes the line as it is (the runtime's JSON format
 * would otherwise wrap our object as a string in its own "message" field), as one telemetry
 * frame, so even a line holding a stack trace stays one record. EMF lines go the same way, which
 * is what CloudWatch extracts metrics from.
 */
@FunctionalInterface
public interface LogSink {

    void write(String line, boolean error);

    static LogSink of(Context context) {
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (logger == null) {
            return STDOUT;
        }
        return (line, error) -> logger.log((line + "\n").getBytes(StandardCharsets.UTF_8),
                error ? LogLevel.ERROR : LogLevel.INFO);
    }

    /** Outside Lambda (priming, tools): one line on stdout. */
    LogSink STDOUT = (line, error) -> System.out.println(line);
}
