package com.astra.webhooks.queue;

import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.TestLogClearChunk;
import java.util.ArrayList;
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
        client.get().sendMessage(b -> b.queueUrl(eventsQueueUrl)
                .messageBody(task.toJson())
                .delaySeconds(Math.max(0, Math.min(900, delaySeconds)))
                .messageAttributes(Map.of(QueueMessage.KIND, text(QueueMessage.RETRY))));
    }

    @Override
    public void toSlowLane(RetryTask task, int delaySeconds) {
        if (slowQueueUrl == null) {
            scheduleRetry(task, delaySeconds);
            return;
        }
        client.get().sendMessage(b -> b.queueUrl(slowQueueUrl)
                .messageBody(task.toJson())
                .delaySeconds(Math.max(0, Math.min(900, delaySeconds)))
                .messageAttributes(Map.of(QueueMessage.KIND, text(QueueMessage.RETRY),
                        QueueMessage.LANE, text(QueueMessage.SLOW))));
    }

    @Override
    public void queueAll(List<RetryTask> tasks, int delaySeconds) {
        for (int from = 0; from < tasks.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(tasks.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("t" + i).messageBody(tasks.get(i).toJson())
                        .delaySeconds(delaySeconds)
                        .messageAttributes(Map.of(QueueMessage.KIND, text(QueueMessage.RETRY))).build());
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
        client.get().sendMessage(b -> b.queueUrl(eventsQueueUrl)
                .messageBody(page.toJson())
                .messageAttributes(Map.of(QueueMessage.KIND, text(QueueMessage.RECOVER))));
    }

    @Override
    public void continueTestLogClear(TestLogClearChunk chunk) {
        client.get().sendMessage(b -> b.queueUrl(eventsQueueUrl)
                .messageBody(chunk.toJson())
                .messageAttributes(Map.of(QueueMessage.KIND, text(QueueMessage.TEST_LOG_CLEAR))));
    }

    @Override
    public void publish(String message) {
        client.get().sendMessage(b -> b.queueUrl(eventsQueueUrl).messageBody(message));
    }

    @Override
    public void deadLetter(String body, String reason) {
        client.get().sendMessage(b -> b.queueUrl(deadLetterQueueUrl)
                .messageBody(body == null || body.isEmpty() ? "(empty message)" : body)
                .messageAttributes(Map.of("reason", text(reason))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
