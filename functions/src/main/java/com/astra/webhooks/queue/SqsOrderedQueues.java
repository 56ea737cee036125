package com.astra.webhooks.queue;

import com.astra.webhooks.jobs.OrderedDelivery;
import com.astra.webhooks.jobs.OrderedQueues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The ordered stage on SQS FIFO. A message group id is at most 128 characters and a key alone
 * may be 128, so the group is the webhook id and a hash of (tenant, key); the deduplication id
 * is a hash of (tenant, event, webhook).
 */
public final class SqsOrderedQueues implements OrderedQueues {

    /**
     * SQS refuses a visibility beyond 12 hours counted from the receive, and the call comes
     * during the invocation (at most the 60 s timeout after it): a longer wait is cut to this
     * and its message, back early, sleeps again for the rest.
     */
    public static final int MAX_HOLD_SECONDS = 43_200 - 300;

    private final SqsClient sqs;
    private final String stageUrl;
    private final String deadLetterUrl;

    public SqsOrderedQueues(SqsClient sqs, String stageUrl, String deadLetterUrl) {
        this.sqs = sqs;
        this.stageUrl = stageUrl;
        this.deadLetterUrl = deadLetterUrl;
    }

    /** The stage's message group of one webhook and key. */
    public static String group(String webhookId, String tenant, String orderingKey) {
        return webhookId + ":" + hash(tenant + "\u0000" + orderingKey);
    }

    @Override
    public void stage(List<OrderedDelivery> deliveries) {
        for (int from = 0; from < deliveries.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(deliveries.size(), from + 10); i++) {
                OrderedDelivery d = deliveries.get(i);
                entries.add(SendMessageBatchRequestEntry.builder().id("d" + i).messageBody(d.toJson())
                        .messageGroupId(group(d.webhookId(), d.tenant(), d.orderingKey()))
                        .messageDeduplicationId(hash(d.tenant() + "\u0000" + d.eventId() + "\u0000" + d.webhookId()))
                        .build());
            }
            var response = sqs.sendMessageBatch(b -> b.queueUrl(stageUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                // the whole fan-out is repeated; the entries that did go in are deduplicated
                throw new IllegalStateException("SQS refused " + response.failed().size() + " ordered delivery message(s): "
                        + response.failed().get(0).message());
            }
        }
    }

    @Override
    public void hold(String receiptHandle, int seconds) {
        sqs.changeMessageVisibility(b -> b.queueUrl(stageUrl).receiptHandle(receiptHandle)
                .visibilityTimeout(Math.max(0, Math.min(MAX_HOLD_SECONDS, seconds))));
    }

    @Override
    public void deadLetter(String body, String reason, String groupId) {
        String text = body == null || body.isEmpty() ? "(empty message)" : body;
        sqs.sendMessage(b -> b.queueUrl(deadLetterUrl).messageBody(text)
                .messageGroupId(groupId == null || groupId.isEmpty() ? "poison" : groupId)
                .messageDeduplicationId(hash(text))
                .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String")
                        .stringValue(reason).build())));
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
