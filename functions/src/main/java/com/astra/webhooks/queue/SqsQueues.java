package com.astra.webhooks.queue;

import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.Poison;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.TestLogClearChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Retries go back on the events queue with a delay; poison goes to the DLQ with a {@code reason} attribute. */
public final class SqsQueues implements Queues {

    private final Supplier<SqsClient> client;
    private final String eventsQueueUrl;
    private final String deadLetterQueueUrl;
    private final String slowQueueUrl;

    public SqsQueues(SqsClient sqs, String eventsQueueUrl, String deadLetterQueueUrl) {
        this(() -> sqs, eventsQueueUrl, deadLetterQueueUrl);
    }

    /** @param slowQueueUrl the slow lane's queue; null when there is none */
    public SqsQueues(SqsClient sqs, String eventsQueueUrl, String deadLetterQueueUrl, String slowQueueUrl) {
        this(() -> sqs, eventsQueueUrl, deadLetterQueueUrl, slowQueueUrl);
    }

    /** With the client made on first use: an API function that rarely queues anything opens no client at start. */
    public SqsQueues(Supplier<SqsClient> client, String eventsQueueUrl, String deadLetterQueueUrl) {
        this(client, eventsQueueUrl, deadLetterQueueUrl, null);
    }

    private SqsQueues(Supplier<SqsClient> client, String eventsQueueUrl, String deadLetterQueueUrl, String slowQueueUrl) {
        this.client = client;
        this.eventsQueueUrl = eventsQueueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.slowQueueUrl = slowQueueUrl;
    }

    @Override
    public void scheduleRetry(RetryTask task, int delaySeconds) {
        send(eventsQueueUrl, JobCodec.encode(task), delaySeconds);
    }

    @Override
    public void toSlowLane(RetryTask task, int delaySeconds) {
        if (slowQueueUrl == null) {
            scheduleRetry(task, delaySeconds);
            return;
        }
        send(slowQueueUrl, JobCodec.encodeForSlowLane(task), delaySeconds);
    }

    @Override
    public void queueAll(List<RetryTask> tasks, int delaySeconds) {
        for (int from = 0; from < tasks.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(tasks.size(), from + 10); i++) {
                JobCodec.Encoded message = JobCodec.encode(tasks.get(i));
                entries.add(SendMessageBatchRequestEntry.builder().id("t" + i).messageBody(message.body())
                        .delaySeconds(delaySeconds)
                        .messageAttributes(attributes(message)).build());
            }
            var response = client.get().sendMessageBatch(b -> b.queueUrl(eventsQueueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + response.failed().size() + " retry message(s): "
                        + response.failed().get(0).message());
            }
        }
    }

    @Override
    public void continueRecovery(RecoveryPage page) {
        send(eventsQueueUrl, JobCodec.encode(page), null);
    }

    @Override
    public void continueTestLogClear(TestLogClearChunk chunk) {
        send(eventsQueueUrl, JobCodec.encode(chunk), null);
    }

    @Override
    public void publish(String message) {
        client.get().sendMessage(b -> b.queueUrl(eventsQueueUrl).messageBody(message));
    }

    @Override
    public void deadLetter(String body, String reason) {
        send(deadLetterQueueUrl, JobCodec.encode(new Poison(body, reason)), null);
    }

    /** @param delaySeconds null for the queue's own delay */
    private void send(String queueUrl, JobCodec.Encoded message, Integer delaySeconds) {
        client.get().sendMessage(b -> b.queueUrl(queueUrl)
                .messageBody(message.body())
                .delaySeconds(delaySeconds == null ? null : Math.max(0, Math.min(900, delaySeconds)))
                .messageAttributes(attributes(message)));
    }

    /** The codec's string attributes as SQS message attributes. */
    public static Map<String, MessageAttributeValue> attributes(JobCodec.Encoded message) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name,
                MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return attributes;
    }
}
