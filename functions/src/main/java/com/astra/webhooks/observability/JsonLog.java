package com.astra.webhooks.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.astra.webhooks.core.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs of one invocation: each record is one JSON object on one line with
 * {@code timestamp}, {@code level}, {@code message}, the Lambda {@code requestId} and the
 * fields the caller adds. A stack trace is a field of its record, never lines of its own.
 *
 * <p>What callers may add is deliberately narrow: ids, counts, outcomes, latencies, route keys.
 * Never a secret, a token, a header value or a payload body; the API handler logs no request
 * data beyond its route, and the tests grep the runner's output for every secret they created.
 */
public final class JsonLog {

    private final LogSink sink;
    private final String requestId;

    public JsonLog(LogSink sink, String requestId) {
        this.sink = sink;
        this.requestId = requestId;
    }

    /** The log of the invocation {@code context} describes; stdout and no request id without one. */
    public static JsonLog of(Context context) {
        return new JsonLog(LogSink.of(context), context == null ? null : context.getAwsRequestId());
    }

    public Entry info(String message) {
        return new Entry("INFO", message);
    }

    public Entry warn(String message) {
        return new Entry("WARN", message);
    }

    public Entry error(String message) {
        return new Entry("ERROR", message);
    }

    /** One record being built; nothing is written until {@link #write()}. */
    public final class Entry {
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final String level;

        private Entry(String level, String message) {
            this.level = level;
            fields.put("timestamp", Instant.now().toString());
            fields.put("level", level);
            fields.put("message", message);
            fields.put("requestId", requestId);
        }

        /** Adds a field; a null value is left out. Names given by the logger itself cannot be replaced. */
        public Entry with(String name, Object value) {
            if (value != null && !name.equals("timestamp") && !name.equals("level") && !name.equals("requestId")) {
                fields.put(name, value instanceof Number || value instanceof Boolean ? value : value.toString());
            }
            return this;
        }

        /** The exception's class, message and whole stack trace, as fields of this one record. */
        public Entry exception(Throwable t) {
            fields.put("errorType", t.getClass().getName());
            fields.put("errorMessage", t.getMessage());
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            fields.put("stackTrace", trace.toString());
            return this;
        }

        public void write() {
            sink.write(Json.write(fields), !level.equals("INFO"));
        }
    }
}
