package com.astra.webhooks.worker;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.jobs.OrderedQueues;
import com.astra.webhooks.jobs.PoisonMessageException;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
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

    public OrderedDispatcher(WebhookStore webhooks, EventStore events, DispatchStore dispatches, TestModeStore testModes,
            Sequences sequences, OrderedQueues orderedQueues, Queues queues, Sender sender, RetrySchedule schedule,
            EventTypeCatalog catalog, AutoDisable autoDisable, Duration retention, ExecutorService executor, Clock clock) {
        this.webhooks = webhooks;
        this.testModes = testModes;
        this.queues = orderedQueues;
        this.executor = executor;
        this.clock = clock;
        this.fanOut = new OrderedFanOut(events, dispatches, sequences, orderedQueues, catalog, retention, clock);
        Attempts attempts = new Attempts(dispatches, queues, sender, SlowLane.none(),
                new AttemptOutcome(schedule, autoDisable, clock), clock);
        this.lane = new OrderedLane(events, dispatches, orderedQueues, attempts, clock);
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
