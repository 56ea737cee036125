package com.astra.webhooks.worker;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What every stage of the dispatcher shares: the stores, the queues, the sender, the rules of
 * time (retry schedule, payload retention, the first worker's lease) and the delivery threads.
 * One value handed down, so that a stage takes what it needs from it and a new stage does not
 * widen every constructor on its way.
 *
 * @param retention how long an event's payload is kept, for retries and resends
 * @param lease how long a copy of an event waits for the worker that saw it first
 * @param executor the delivery threads: every (message, webhook) pair of a batch runs at once on them
 */
public record DispatcherContext(
        WebhookStore webhooks,
        EventStore events,
        DispatchStore dispatches,
        TestModeStore testModes,
        Queues queues,
        Sender sender,
        EventTypeCatalog catalog,
        RetrySchedule schedule,
        Duration retention,
        Duration lease,
        ExecutorService executor,
        Clock clock) {}
