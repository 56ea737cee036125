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

/**
 * The SQS-triggered Lambda: events and retries in, partial batch failures out. A stream handler:
 * the event's JSON is read by {@link SqsEventJson}, not mapped by the runtime (cold start).
 */
public final class DispatcherHandler implements RequestStreamHandler {

    private final Dispatcher dispatcher;
    private final BatchReports reports;
    /** Held so CRaC, which references resources weakly, keeps it. */
    SnapStartPriming priming;

    public DispatcherHandler() {
        this(Wiring.fromEnvironment());
    }

    private DispatcherHandler(Wiring wiring) {
        this(DispatcherWiring.dispatcher(wiring), DispatcherWiring.batchReports(wiring));
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
        List<QueueMessage> messages = SqsEventJson.read(event).stream().map(SqsEventJson.Record::toQueueMessage).toList();
        SqsEventJson.writeFailures(dispatcher.process(messages, reports.start(context)), response);
    }
}
