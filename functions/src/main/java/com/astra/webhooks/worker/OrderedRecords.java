package com.astra.webhooks.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;

/** Lambda's SQS event as the ordered path reads it, and which FIFO queue it came from. */
final class OrderedRecords {
    private OrderedRecords() {}

    /** The queue name at the end of a queue URL or ARN. */
    static String queueName(String urlOrArn) {
        if (urlOrArn == null) {
            return "";
        }
        int cut = Math.max(urlOrArn.lastIndexOf('/'), urlOrArn.lastIndexOf(':'));
        return urlOrArn.substring(cut + 1);
    }

    /** Whether the batch came from a FIFO queue (Lambda hands one source's messages per invocation). */
    static boolean fromFifo(SQSEvent event) {
        return !event.getRecords().isEmpty() && queueName(event.getRecords().get(0).getEventSourceArn()).endsWith(".fifo");
    }

    static boolean fromQueue(SQSEvent event, String queueUrl) {
        return !event.getRecords().isEmpty()
                && queueName(event.getRecords().get(0).getEventSourceArn()).equals(queueName(queueUrl));
    }

    static List<OrderedMessage> messages(SQSEvent event) {
        return event.getRecords().stream().map(m -> {
            Map<String, String> a = m.getAttributes() == null ? Map.of() : m.getAttributes();
            String count = a.get("ApproximateReceiveCount");
            return new OrderedMessage(m.getMessageId(), m.getBody(), a.get("MessageGroupId"), m.getReceiptHandle(),
                    count == null ? 1 : Integer.parseInt(count));
        }).toList();
    }
}
