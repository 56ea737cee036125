package com.astra.webhooks.queue;

import com.astra.webhooks.worker.QueueMessage;
import com.astra.webhooks.worker.Queues;
import com.astra.webhooks.worker.RetryTask;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Retries go back on the events queue with a delay; poison goes to the DLQ with a {@code reason} attribute. */
public final class SqsQueues implements Queues {

    private final SqsClient sqs;
    private final String eventsQueueUrl;
    private final String deadLetterQueueUrl;

    public SqsQueues(SqsClient sqs, String eventsQueueUrl, String deadLetterQueueUrl) {
        this.sqs = sqs;
        this.eventsQueueUrl = eventsQueueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    @Override
    public void scheduleRetry(RetryTask task, int delaySeconds) {
        sqs.sendMessage(b -> b.queueUrl(eventsQueueUrl)
                .messageBody(task.toJson())
                .delaySeconds(Math.max(0, Math.min(900, delaySeconds)))
                .messageAttributes(Map.of(QueueMessage.KIND, text(QueueMessage.RETRY))));
    }

    @Override
    public void deadLetter(String body, String reason) {
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl)
                .messageBody(body == null || body.isEmpty() ? "(empty message)" : body)
                .messageAttributes(Map.of("reason", text(reason))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
