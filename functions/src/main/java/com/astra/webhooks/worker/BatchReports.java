package com.astra.webhooks.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.astra.webhooks.observability.BatchMetrics;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.observability.LogSink;
import java.time.Clock;
import java.time.Duration;

/**
 * Starts the {@link BatchReport} of each invocation: its log and metrics go to the invocation's
 * logger, its deadline is the invocation's. One attempt needs the delivery timeout plus
 * {@link #WRITES} for the writes after it (the attempt's record, a retry, a disable).
 */
public final class BatchReports {

    /**
     * Room for the writes after a POST. The SDK's own attempt timeouts are a few seconds; a
     * record that takes longer fails, and its message comes back whole.
     */
    public static final Duration WRITES = Duration.ofSeconds(3);

    /** The metrics' one dimension without an invocation to name the function. */
    static final String SERVICE = "dispatcher";

    private final long reserveMillis;
    private final Clock clock;

    public BatchReports(Duration deliveryTimeout, Clock clock) {
        this.reserveMillis = deliveryTimeout.plus(WRITES).toMillis();
        this.clock = clock;
    }

    /** The report of the invocation {@code context} describes; without one, stdout and no deadline. */
    public BatchReport start(Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        LogSink sink = LogSink.of(context);
        // The function's name is the metrics' dimension, so two stacks in one account stay apart.
        String service = context == null || context.getFunctionName() == null ? SERVICE : context.getFunctionName();
        return new BatchReport(new JsonLog(sink, requestId), new BatchMetrics(service, clock).start(sink, requestId),
                context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis(), reserveMillis, clock);
    }

    /** Pays the metrics library's first-record cost (SnapStart priming). */
    public void warmUp() {
        new BatchMetrics(SERVICE, clock).warmUp();
    }
}
