package com.astra.webhooks.worker;

import com.astra.webhooks.jobs.AgentEvent;
import com.astra.webhooks.jobs.Job;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.Poison;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.SecretExpiry;
import com.astra.webhooks.jobs.TestLogClear;
import com.astra.webhooks.jobs.TestLogClearChunk;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.store.EventStore.Stored;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a batch of queue messages into {@link Job}s ({@link JobCodec}) and runs each on the
 * handler of its kind. Every (message, webhook) pair runs at once on the executor, so a batch
 * takes about as long as its slowest receiver; a tenant is read once per batch. Copies of one
 * event in one batch are sent once. An agent's event fans out ({@link FanOut}), a retry makes its
 * attempt ({@link Retries}), each attempt is made and recorded under its computed id, its record
 * being its claim ({@link Attempts}), and what its outcome means is {@link AttemptOutcome}'s.
 * A message is reported failed only if some of its work could not be done.
 */
public final class Dispatcher {

    /** The error of the record an event leaves on a disabled webhook it was not sent to. */
    public static final String NOT_SENT_DISABLED = "not sent: webhook disabled";

    private final DispatcherContext context;
    private final JobCodec codec;
    private final FanOut fanOut;
    private final Retries retries;
    private final ServiceJobs serviceJobs;
    private final WarmUp warmUp;

    /**
     * @param slowLane where deliveries to recently slow receivers go; {@link SlowLane#none()} to
     *     make every delivery where its message is
     */
    public Dispatcher(DispatcherContext context, SecretErasure secretErasure, RateLimitGate rateLimits,
            Recovery recovery, AutoDisable autoDisable, SlowLane slowLane) {
        this.context = context;
        this.codec = new JobCodec(context.catalog(), context.clock());
        Attempts attempts = new Attempts(context, slowLane, new AttemptOutcome(context.schedule(), autoDisable,
                context.clock()));
        this.fanOut = new FanOut(context, slowLane, rateLimits, attempts);
        this.retries = new Retries(context, recovery, rateLimits, attempts, slowLane);
        this.serviceJobs = new ServiceJobs(recovery,
                new TestLogClear(context.testModes(), context.dispatches(), context.queues()), secretErasure);
        this.warmUp = new WarmUp(context.events(), context.sender(), context.catalog(), context.clock());
    }

    /** Processes the batch and returns the ids of the messages to be tried again. */
    public Set<String> process(List<QueueMessage> batch) {
        return process(batch, new BatchReports(Duration.ZERO, context.clock()).start(null));
    }

    /** As above, telling {@code report} what it did and asking it whether time is left for an attempt. */
    public Set<String> process(List<QueueMessage> batch, BatchReport report) {
        TenantReads tenants = tenantReads();
        List<Job> jobs = batch.stream().map(codec::decode).toList();
        Payloads payloads = payloads(batch, jobs);
        // Copies of one event in one batch are sent once; every copy shares the outcome.
        Map<String, List<String>> copies = new LinkedHashMap<>();
        Map<String, CompletableFuture<Boolean>> work = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            QueueMessage message = batch.get(i);
            Job job = jobs.get(i);
            String key = onceKey(job, message);
            copies.computeIfAbsent(key, k -> new ArrayList<>()).add(message.messageId());
            work.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> run(job, message, key, tenants, payloads, report),
                            context.executor())
                    .thenCompose(f -> f)
                    .exceptionally(e -> {
                        report.handedBack(message.messageId(), e);
                        return false;
                    }));
        }
        Set<String> failed = new HashSet<>();
        work.forEach((key, future) -> {
            if (!future.join()) {
                failed.addAll(copies.get(key));
            }
        });
        report.finish(batch.size(), failed.size());
        return failed;
    }

    /**
     * Runs the read and signing paths of a delivery for a tenant that has no webhooks, sending
     * and storing nothing: a warm-up before a SnapStart snapshot.
     */
    public void warmUp(String tenant) {
        tenantReads().get(tenant).join();
        warmUp.run(tenant);
    }

    /** The payloads of a batch's events, by the event's once-key, written together. */
    private record Payloads(Map<String, Integer> index, CompletableFuture<List<Stored>> stored) {
        CompletableFuture<Stored> of(String key) {
            int i = index.get(key);
            return stored.thenApply(all -> all.get(i));
        }
    }

    /** One write for the payloads of all the batch's events (distinct ones), started at once. */
    private Payloads payloads(List<QueueMessage> batch, List<Job> jobs) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i) instanceof AgentEvent agentEvent) {
                index.computeIfAbsent(onceKey(agentEvent, batch.get(i)), k -> {
                    events.add(agentEvent.event());
                    return events.size() - 1;
                });
            }
        }
        return new Payloads(index, events.isEmpty() ? CompletableFuture.completedFuture(List.of()) : fanOut.store(events));
    }

    /** The job on the handler of its kind ({@code key}: its once-key); true when its message is done with. */
    private CompletableFuture<Boolean> run(Job job, QueueMessage message, String key, TenantReads tenants,
            Payloads payloads, BatchReport report) {
        boolean redelivered = message.redelivered();
        // The casts follow from kind(): each kind is exactly one record (Job's permits).
        return switch (job.kind()) {
            case EVENT -> fanOut.deliver(((AgentEvent) job).event(), payloads.of(key), tenants,
                    redelivered, report);
            case RETRY -> retries.retry((RetryTask) job, JobCodec.onSlowLane(message), tenants, redelivered, report);
            case RECOVER -> done(serviceJobs.recovery().handle((RecoveryPage) job));
            case TEST_LOG_CLEAR -> done(serviceJobs.testLogClear().handle((TestLogClearChunk) job));
            case SECRET_EXPIRY -> done(serviceJobs.secretErasure().handle((SecretExpiry) job));
            case POISON -> deadLetter((Poison) job, message, report);
        };
    }

    /** Messages with one key in one batch are done once: an event's copies share its tenant and id. */
    private static String onceKey(Job job, QueueMessage message) {
        if (job instanceof AgentEvent agentEvent) {
            Event event = agentEvent.event();
            return "event:" + event.tenant() + "\u0000" + event.id();
        }
        return job.kind() + ":" + message.messageId();
    }

    private TenantReads tenantReads() {
        return new TenantReads(context.webhooks(), context.testModes(), context.executor());
    }

    private CompletableFuture<Boolean> deadLetter(Poison poison, QueueMessage message, BatchReport report) {
        context.queues().deadLetter(poison.body(), poison.reason());
        report.deadLettered(message, poison.reason());
        return done(true);
    }

    private static CompletableFuture<Boolean> done(boolean handled) {
        return CompletableFuture.completedFuture(handled);
    }
}
