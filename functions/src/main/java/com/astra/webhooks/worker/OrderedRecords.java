package com.astra.webhooks.worker;

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
    static boolean fromFifo(List<SqsEventJson.Record> records) {
        return !records.isEmpty() && queueName(records.get(0).eventSourceArn()).endsWith(".fifo");
    }

    static boolean fromQueue(List<SqsEventJson.Record> records, String queueUrl) {
        return !records.isEmpty() && queueName(records.get(0).eventSourceArn()).equals(queueName(queueUrl));
    }

    static List<OrderedMessage> messages(List<SqsEventJson.Record> records) {
        return records.stream().map(m -> {
            Map<String, String> a = m.attributes() == null ? Map.of() : m.attributes();
            String count = a.get("ApproximateReceiveCount");
            return new OrderedMessage(m.messageId(), m.body(), a.get("MessageGroupId"), m.receiptHandle(),
                    count == null ? 1 : Integer.parseInt(count));
        }).toList();
    }
}
