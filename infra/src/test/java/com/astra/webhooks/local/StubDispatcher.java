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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every message it is given; reports those whose body contains "fail" as batch item
 * failures, and throws (failing the whole batch) for a body containing "throw". Each batch writes
 * one JSON log record and one EMF record through the Lambda logger, as the real dispatcher does.
 *
 * <p>The runner loads this class in the function's own class loader, apart from the test's copy,
 * so what it saw is kept in JDK types under a system property both copies can reach.
 */
public class StubDispatcher implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        event.getRecords().forEach(m -> received().add(record(m)));
        batchSizes().add(event.getRecords().size());
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

    /** Every message handed over so far, as the handler's SQSEvent showed it. */
    static List<Map<String, Object>> received() {
        return shared("astra.stub.received");
    }

    static List<Integer> batchSizes() {
        return shared("astra.stub.batchSizes");
    }

    static String body(Map<String, Object> record) {
        return (String) record.get("body");
    }

    private static Map<String, Object> record(SQSEvent.SQSMessage m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("body", m.getBody());
        r.put("messageId", m.getMessageId());
        r.put("receiptHandle", m.getReceiptHandle());
        r.put("md5OfBody", m.getMd5OfBody());
        r.put("eventSource", m.getEventSource());
        r.put("eventSourceArn", m.getEventSourceArn());
        r.put("awsRegion", m.getAwsRegion());
        r.put("attributes", Map.copyOf(m.getAttributes()));
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        m.getMessageAttributes().forEach((name, a) -> attributes.put(name, List.of(a.getDataType(), a.getStringValue())));
        r.put("messageAttributes", attributes);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> shared(String name) {
        return (List<T>) System.getProperties().computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
    }
}
