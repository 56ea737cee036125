package com.astra.webhooks.worker;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.jobs.QueueMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows the JSON of Lambda's SQS event source: the batch in, the partial
 * batch response out. Read with jackson-jr rather than by the Lambda runtime's own mapping into
 * aws-lambda-java-events' {@code SQSEvent} (Jackson databind with its mix-ins), which costs a
 * first batch about a thousand classes that no SnapStart warm-up reaches, since the runtime maps
 * the event before the handler runs.
 */
final class SqsEventJson {
    private SqsEventJson() {}

    /**
     * One record as the event source sends it. {@code attributes} are the message's system
     * attributes (ApproximateReceiveCount, MessageGroupId on a FIFO queue, …);
     * {@code messageAttributes} keeps the string-valued ones, the only kind the service sends.
     */
    record Record(String messageId, String receiptHandle, String body, Map<String, String> attributes,
            Map<String, String> messageAttributes, String eventSourceArn) {

        QueueMessage toQueueMessage() {
            String count = attributes.get("ApproximateReceiveCount");
            return new QueueMessage(messageId, body, messageAttributes, count == null ? 1 : Integer.parseInt(count));
        }
    }

    /** The batch's records; an event that is not the event source's shape fails the invocation (the whole batch). */
    static List<Record> read(InputStream event) throws IOException {
        Map<String, Object> root = Json.parseObject(new String(event.readAllBytes(), StandardCharsets.UTF_8));
        if (!(root.get("Records") instanceof List<?> records)) {
            throw new IOException("not an SQS event: no Records list");
        }
        List<Record> out = new ArrayList<>(records.size());
        for (Object r : records) {
            Map<?, ?> m = object(r);
            Map<String, String> messageAttributes = new HashMap<>();
            object(m.get("messageAttributes")).forEach((name, value) -> {
                if (object(value).get("stringValue") instanceof String s) {
                    messageAttributes.put(String.valueOf(name), s);
                }
            });
            out.add(new Record(string(m.get("messageId")), string(m.get("receiptHandle")), string(m.get("body")),
                    Json.stringMembers(m.get("attributes")), messageAttributes, string(m.get("eventSourceARN"))));
        }
        return out;
    }

    /** The partial batch response: the failed messages come back after their visibility timeout. */
    static void writeFailures(Set<String> failedMessageIds, OutputStream out) throws IOException {
        List<Map<String, String>> failures = new ArrayList<>(failedMessageIds.size());
        failedMessageIds.forEach(id -> failures.add(Map.of("itemIdentifier", id)));
        out.write(Json.write(Map.of("batchItemFailures", failures)).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<?, ?> object(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
