package com.astra.webhooks.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.astra.webhooks.aws.SnapStartPriming;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.wiring.Wiring;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The SQS-triggered Lambda: events and retries in, partial batch failures out. */
public final class DispatcherHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Dispatcher dispatcher;
    private final BatchReports reports;
    /** The FIFO sources of ordered delivery; null where none is configured. */
    private OrderedDispatcher ordered;
    private String orderedStageUrl;
    /** Held so CRaC, which references resources weakly, keeps it. */
    SnapStartPriming priming;

    public DispatcherHandler() {
        this(Wiring.fromEnvironment());
    }

    private DispatcherHandler(Wiring wiring) {
        this(DispatcherWiring.dispatcher(wiring), DispatcherWiring.batchReports(wiring));
        ordered = OrderedWiring.ordered(wiring);
        orderedStageUrl = com.astra.webhooks.config.LambdaEnvironment.variables().get(
                com.astra.webhooks.config.Settings.ORDERED_QUEUE_URL);
        priming = SnapStartPriming.register(() -> {
            dispatcher.warmUp(SnapStartPriming.TENANT);
            reports.warmUp();
        });
    }

    /** The handler over a dispatcher built elsewhere (tests, other wirings); it registers no warm-up. */
    public DispatcherHandler(Dispatcher dispatcher, BatchReports reports) {
        this.dispatcher = dispatcher;
        this.reports = reports;
    }

    /** The SnapStart warm-up the no-argument constructor registered (null otherwise). */
    public SnapStartPriming priming() {
        return priming;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Set<String> failed = ordered != null && OrderedRecords.fromFifo(event)
                ? ordered.process(OrderedRecords.messages(event), OrderedRecords.fromQueue(event, orderedStageUrl),
                        reports.start(context))
                : dispatcher.process(event.getRecords().stream().map(DispatcherHandler::message).toList(),
                        reports.start(context));
        List<SQSBatchResponse.BatchItemFailure> failures = failed.stream()
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static QueueMessage message(SQSEvent.SQSMessage m) {
        Map<String, String> attributes = new HashMap<>();
        if (m.getMessageAttributes() != null) {
            m.getMessageAttributes().forEach((name, value) -> {
                if (value.getStringValue() != null) {
                    attributes.put(name, value.getStringValue());
                }
            });
        }
        String count = m.getAttributes() == null ? null : m.getAttributes().get("ApproximateReceiveCount");
        return new QueueMessage(m.getMessageId(), m.getBody(), attributes, count == null ? 1 : Integer.parseInt(count));
    }
}
