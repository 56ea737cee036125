package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.jobs.QueueMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsEventJsonTest {

    private static List<SqsEventJson.Record> read(String json) throws IOException {
        return SqsEventJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheSampleBatchAsTheEventSourceSendsIt() throws IOException {
        List<SqsEventJson.Record> records = read(Files.readString(Path.of("../events/dispatcher-batch.sqs.json")));
        assertEquals(2, records.size());
        SqsEventJson.Record first = records.get(0);
        assertEquals("059f36b4-87a3-44ab-83d2-661975830a7d", first.messageId());
        assertEquals("AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a", first.receiptHandle());
        assertEquals("arn:aws:sqs:us-east-1:123456789012:astra-events", first.eventSourceArn());
        assertEquals("1795694400000", first.attributes().get("SentTimestamp"));
        assertEquals("this is not json", records.get(1).body());
    }

    @Test
    void queueMessageTakesTheStringAttributesAndTheReceiveCount() throws IOException {
        QueueMessage message = read("""
                {"Records":[{"messageId":"m1","receiptHandle":"rh","body":"{}",
                  "attributes":{"ApproximateReceiveCount":"3","MessageGroupId":"run_42"},
                  "messageAttributes":{
                    "astra-kind":{"stringValue":"retry","stringListValues":[],"binaryListValues":[],"dataType":"String"},
                    "blob":{"binaryValue":"AAE=","stringListValues":[],"binaryListValues":[],"dataType":"Binary"}},
                  "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:1:q.fifo","awsRegion":"us-east-1"}]}
                """).get(0).toQueueMessage();
        assertEquals(new QueueMessage("m1", "{}", Map.of("astra-kind", "retry"), 3), message);
    }

    @Test
    void aMissingReceiveCountCountsAsTheFirstReceive() throws IOException {
        SqsEventJson.Record record = read("{\"Records\":[{\"messageId\":\"m1\",\"body\":\"x\"}]}").get(0);
        assertEquals(1, record.toQueueMessage().receiveCount());
        assertNull(record.receiptHandle());
    }

    @Test
    void anEventWithoutRecordsFailsTheInvocation() {
        assertThrows(IOException.class, () -> read("{}"));
        assertThrows(IOException.class, () -> read("{\"Records\":{}}"));
        assertThrows(IOException.class, () -> read("[]"));
    }

    @Test
    void failuresAreWrittenAsThePartialBatchResponse() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SqsEventJson.writeFailures(new LinkedHashSet<>(List.of("a", "b")), out);
        assertEquals(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "a"), Map.of("itemIdentifier", "b"))),
                Json.parseObject(out.toString(StandardCharsets.UTF_8)));
        out.reset();
        SqsEventJson.writeFailures(java.util.Set.of(), out);
        assertEquals("{\"batchItemFailures\":[]}", out.toString(StandardCharsets.UTF_8));
    }
}
