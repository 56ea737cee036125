package com.astra.webhooks.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.astra.webhooks.aws.SnapStartPriming;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.wiring.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/**
 * The SQS-triggered Lambda: events and retries in, partial batch failures out. A stream handler:
 * the event's JSON is read by {@link SqsEventJson}, not mapped by the runtime (cold start).
 */
public final class DispatcherHandler implements RequestStreamHandler {

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
    public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
        List<SqsEventJson.Record> records = SqsEventJson.read(event);
        Set<String> failed = ordered != null && OrderedRecords.fromFifo(records)
                ? ordered.process(OrderedRecords.messages(records), OrderedRecords.fromQueue(records, orderedStageUrl),
                        reports.start(context))
                : dispatcher.process(records.stream().map(SqsEventJson.Record::toQueueMessage).toList(),
                        reports.start(context));
        SqsEventJson.writeFailures(failed, response);
    }
}
