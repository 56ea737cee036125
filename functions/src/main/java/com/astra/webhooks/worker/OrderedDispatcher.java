package com.astra.webhooks.worker;

import com.astra.webhooks.jobs.OrderedQueues;
import com.astra.webhooks.jobs.PoisonMessageException;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.store.Sequences;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Ordered delivery (docs/ordered-delivery.md): the dispatcher's two FIFO sources. Messages of
 * the FIFO events queue are fanned out to the ordered stage ({@link OrderedFanOut}); messages of
 * the ordered stage are delivered ({@link OrderedLane}). Both follow Lambda's FIFO rule
 * ({@link FifoGroups}).
 */
public final class OrderedDispatcher {

    private final WebhookStore webhooks;
    private final TestModeStore testModes;
    private final OrderedQueues queues;
    private final ExecutorService executor;
    private final Clock clock;
    private final OrderedFanOut fanOut;
    private final OrderedLane lane;

    public OrderedDispatcher(DispatcherContext context, Sequences sequences, OrderedQueues orderedQueues,
            AutoDisable autoDisable) {
        this.webhooks = context.webhooks();
        this.testModes = context.testModes();
        this.queues = orderedQueues;
        this.executor = context.executor();
        this.clock = context.clock();
        this.fanOut = new OrderedFanOut(context.events(), context.dispatches(), sequences, orderedQueues,
                context.catalog(), context.retention(), clock);
        // no slow lane: moving an ordered delivery would let the next event of its key overtake it
        Attempts attempts = new Attempts(context, SlowLane.none(), new AttemptOutcome(context.schedule(), autoDisable, clock));
        this.lane = new OrderedLane(context.events(), context.dispatches(), orderedQueues, attempts, clock);
    }

    /** As below, with a report that allows every attempt (no invocation deadline). */
    public Set<String> process(List<OrderedMessage> batch, boolean stage) {
        return process(batch, stage, new BatchReports(Duration.ZERO, clock).start(null));
    }

    /**
     * A batch of one FIFO queue: the ordered stage's when {@code stage}, else the FIFO events
     * queue's. Returns the ids of the messages to be handed out again.
     */
    public Set<String> process(List<OrderedMessage> batch, boolean stage, BatchReport report) {
        TenantReads tenants = new TenantReads(webhooks, testModes, executor);
        Set<String> failed = FifoGroups.process(batch, executor, m -> {
            try {
                if (stage) {
                    return lane.handle(m, tenants, report);
                }
                fanOut.handle(m, tenants);
                return true;
            } catch (PoisonMessageException e) {
                // never retried: it would hold its key for good
                queues.deadLetter(m.body(), e.getMessage(), m.groupId());
                report.deadLettered(new QueueMessage(m.messageId(), m.body(), Map.of(), m.receiveCount()), e.getMessage());
                return true;
            } catch (RuntimeException e) {
                report.handedBack(m.messageId(), e);
                return false;
            }
        }, m -> {
            if (stage) {
                queues.hold(m.receiptHandle(), 0); // it waits behind the held one, not for its own timeout
            }
        });
        report.finish(batch.size(), failed.size());
        return failed;
    }
}
