package com.astra.webhooks.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does: long-poll the queue, hand batches to the
 * function as the event JSON Lambda sends, delete what succeeded. Failed messages are left
 * alone, so the queue's visibility timeout and redrive policy decide when they come back or go
 * to the DLQ, exactly as on AWS. Like Lambda, it runs several batches at once (see
 * {@link #concurrency}) and deletes a finished batch while its poller already receives the next.
 */
final class EventSourceMapping implements AutoCloseable {

    /** Short waits keep Ctrl-C responsive; Lambda's own pollers wait up to 20 s. */
    private static final int WAIT_SECONDS = 1;
    /** Part of the runner's 5 s stop budget: a receive in progress (1 s) plus a short batch. */
    static final Duration STOP_GRACE = Duration.ofMillis(2500);
    /**
     * Most batches at once when the template's ScalingConfig.MaximumConcurrency (or its absence,
     * which on Lambda means up to 1,250) asks for more: all of them share this machine's cores
     * and one function instance, and more pollers past this only contend.
     */
    static final int LOCAL_MAX_CONCURRENCY = 8;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final TemplateModel.SqsSource source;
    private final TemplateModel.Function function;
    private final LambdaHandlers handlers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pollers;
    /** Deletes of finished batches, off the pollers' path, as Lambda's own deletes are. */
    private final ExecutorService deletes;
    /**
     * Where the function runs, apart from the pollers as on Lambda, so that a thread's CPU time
     * tells the function's work from the event source's (the runner's CPU split in docs/benchmarks.md).
     */
    private final ExecutorService invocations;

    EventSourceMapping(SqsClient sqs, String queueUrl, String queueArn, String region, TemplateModel.SqsSource source,
                       TemplateModel.Function function, LambdaHandlers handlers, int pollerCount) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.source = source;
        this.function = function;
        this.handlers = handlers;
        this.pollers = Executors.newFixedThreadPool(Math.max(1, pollerCount), r -> {
            Thread t = new Thread(r, "astra-local-sqs-poller");
            t.setDaemon(true);
            return t;
        });
        this.deletes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "astra-local-sqs-delete");
            t.setDaemon(true);
            return t;
        });
        this.invocations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "astra-local-invoke-" + function.name());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < pollerCount; i++) {
            pollers.submit(this::pollLoop);
        }
    }

    /**
     * Batches run at once: {@code override} (--pollers, ASTRA_POLLERS) when given, else the
     * template's MaximumConcurrency capped at {@link #LOCAL_MAX_CONCURRENCY}.
     */
    static int concurrency(TemplateModel.SqsSource source, Integer override) {
        if (override != null) {
            return override;
        }
        int max = source.maximumConcurrency();
        return max <= 0 ? LOCAL_MAX_CONCURRENCY : Math.min(max, LOCAL_MAX_CONCURRENCY);
    }

    private void pollLoop() {
        int max = Math.min(10, Math.max(1, source.batchSize()));
        while (running.get()) {
            try {
                List<Message> batch = new ArrayList<>(receive(max, WAIT_SECONDS));
                if (!batch.isEmpty() && batch.size() < max) {
                    // A long poll returns as soon as anything is visible, often part of what was just
                    // sent; one non-waiting receive tops the batch up the way Lambda's pollers fill it.
                    batch.addAll(receive(max - batch.size(), 0));
                }
                // MaximumBatchingWindowInSeconds: keep gathering until the batch is full or the window closes
                long windowEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(source.batchingWindowSeconds());
                while (!batch.isEmpty() && batch.size() < max && running.get() && System.nanoTime() < windowEnd) {
                    batch.addAll(receive(max - batch.size(), 1));
                }
                if (!batch.isEmpty() && !running.get()) {
                    handBack(batch); // stopping: nothing of it has started, so it may come back at once
                } else if (!batch.isEmpty()) {
                    deliver(batch);
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    System.err.println("[astra-local] polling " + queueUrl + " failed: " + e.getMessage());
                    pause();
                }
            }
        }
    }

    private List<Message> receive(int max, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    private void deliver(List<Message> messages) {
        Set<String> failed;
        try {
            byte[] event = JSON.std.asBytes(Map.of("Records", messages.stream().map(this::toRecord).toList()));
            byte[] result = invoke(event);
            failed = source.reportsBatchItemFailures() ? BatchItemFailures.parse(result, messages) : Set.of();
        } catch (LambdaFunction.FunctionError | BatchItemFailures.Invalid | IOException e) {
            // a failed invoke fails the whole batch: every message comes back after the visibility timeout
            System.err.println("[astra-local] " + function.name() + " failed a batch of " + messages.size() + ": " + e.getMessage());
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            deletes.execute(() -> delete(done));
        }
    }

    /**
     * The poller waits for the invocation as it would run on its own thread: interrupting the
     * poller (a stop past its grace) interrupts the function, and what the function then returns
     * still decides the deletes.
     */
    private byte[] invoke(byte[] event) throws LambdaFunction.FunctionError {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        AtomicReference<Thread> running = new AtomicReference<>();
        invocations.execute(() -> {
            running.set(Thread.currentThread());
            try {
                result.complete(handlers.invoke(function.name(), event));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                synchronized (running) {
                    running.set(null);
                    Thread.interrupted(); // an interrupt meant for this invocation ends with it
                }
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    synchronized (running) {
                        Thread t = running.get();
                        if (t != null) {
                            t.interrupt();
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LambdaFunction.FunctionError error) {
                throw error;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void delete(List<DeleteMessageBatchRequestEntry> done) {
        try {
            var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
            response.failed().forEach(f -> System.err.println("[astra-local] delete failed: " + f.message()));
        } catch (RuntimeException e) {
            // the messages come back after the visibility timeout; the dispatcher does not resend what it delivered
            System.err.println("[astra-local] delete of " + done.size() + " message(s) failed: " + e.getMessage());
        }
    }

    /** Visibility 0: the messages are visible again right away, for the next run of the runner. */
    private void handBack(List<Message> messages) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (Message m : messages) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                    .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
        }
        try {
            var response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
            response.failed().forEach(f -> System.err.println("[astra-local] hand back failed: " + f.message()));
        } catch (RuntimeException e) {
            // still in flight: the next start releases them (EmbeddedSqs.releaseInFlight)
            System.err.println("[astra-local] could not hand back " + messages.size() + " message(s): " + e.getMessage());
        }
    }

    /** One record of the event JSON the SQS event source sends to Lambda. */
    private Map<String, Object> toRecord(Message m) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", m.messageId());
        record.put("receiptHandle", m.receiptHandle());
        record.put("body", m.body());
        record.put("attributes", new LinkedHashMap<>(m.attributesAsStrings()));
        Map<String, Object> messageAttributes = new LinkedHashMap<>();
        m.messageAttributes().forEach((name, value) -> messageAttributes.put(name, toAttribute(value)));
        record.put("messageAttributes", messageAttributes);
        if (m.md5OfMessageAttributes() != null) {
            record.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
        }
        record.put("md5OfBody", m.md5OfBody());
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queueArn);
        record.put("awsRegion", region);
        return record;
    }

    private static Map<String, Object> toAttribute(MessageAttributeValue value) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (value.stringValue() != null) {
            a.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            a.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        a.put("stringListValues", List.of());
        a.put("binaryListValues", List.of());
        a.put("dataType", value.dataType());
        return a;
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops polling. A batch received but not yet started is handed back at once; a batch the
     * function is working on gets {@code grace} to finish and be deleted. What is still running
     * after that stays in flight, and the runner's next start releases it (see
     * {@link EmbeddedSqs}) instead of leaving it to the visibility timeout.
     */
    void stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        running.set(false);
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("[astra-local] a batch was still running at the stop; it comes back on the next start");
                pollers.shutdownNow();
            }
            invocations.shutdown();
            // the deletes of finished batches go out within the same grace; whatever misses it comes back on the next start
            deletes.shutdown();
            if (!deletes.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                deletes.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            invocations.shutdownNow();
            deletes.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(STOP_GRACE);
    }

    /**
     * Stops several mappings within one {@code grace}, side by side (as Lambda's event sources are
     * independent): one after another they would spend a grace each.
     */
    static void stopAll(List<EventSourceMapping> mappings, Duration grace) throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (EventSourceMapping m : mappings) {
            Thread t = new Thread(() -> m.stop(grace), "astra-local-sqs-stop");
            t.setDaemon(true);
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
    }
}
