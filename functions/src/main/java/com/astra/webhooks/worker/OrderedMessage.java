package com.astra.webhooks.worker;

/**
 * A message of a FIFO queue as the ordered path needs it: besides the body, the message group it
 * belongs to and the receipt handle that can keep it invisible while its retry is due.
 */
public record OrderedMessage(String messageId, String body, String groupId, String receiptHandle, int receiveCount) {}
