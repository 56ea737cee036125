package com.astra.webhooks.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.astra.webhooks.observability.BatchMetrics;
import com.astra.webhooks.observability.JsonLog;
import com.astra.webhooks.observability.LogSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every message it is given; reports those whose body contains "fail" as batch item
 * failures, and throws (failing the whole batch) for a body containing "throw". Each batch writes
 * one JSON log record and one EMF record through the Lambda logger, as the real dispatcher does.
 */
public class StubDispatcher implements RequestHandler<SQSEvent, SQSBatchResponse> {

    static final List<SQSEvent.SQSMessage> RECEIVED = new CopyOnWriteArrayList<>();
    static final List<Integer> BATCH_SIZES = new CopyOnWriteArrayList<>();

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        RECEIVED.addAll(event.getRecords());
        BATCH_SIZES.add(event.getRecords().size());
        if (event.getRecords().stream().anyMatch(m -> m.getBody().contains("throw"))) {
            throw new IllegalStateException("whole batch fails");
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        BatchMetrics.Batch metrics = new BatchMetrics("stub", Clock.systemUTC()).start(LogSink.of(context), context.getAwsRequestId());
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            if (m.getBody().contains("fail")) {
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                metrics.failed(1);
            } else {
                metrics.delivered(1);
            }
        }
        JsonLog.of(context).info("batch").with("messages", event.getRecords().size())
                .with("firstMessageId", event.getRecords().get(0).getMessageId()).write();
        metrics.finish();
        return new SQSBatchResponse(failures);
    }
}
