package com.astra.webhooks.store.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * BatchGetItem until nothing is left unprocessed (DynamoDB may return part of a batch under load),
 * for a bounded number of rounds; the rounds rule of BatchWriteItem lives here too.
 */
final class BatchReads {
    private BatchReads() {}

    static List<Map<String, AttributeValue>> getAll(DynamoDbClient dynamo, String table, KeysAndAttributes request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(table, request);
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round > 0) {
                backOff(round);
            }
            Map<String, KeysAndAttributes> send = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(send));
            items.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            giveUpAfter(round, pending, "keys");
        }
        return items;
    }

    /**
     * How many rounds a batch call is repeated for the part DynamoDB left unprocessed: with the
     * back-off below about 5 s in all, so a request fails cleanly well before a Lambda timeout
     * instead of retrying into it.
     */
    static final int MAX_ROUNDS = 10;

    /** Fails the request once {@link #MAX_ROUNDS} rounds have left work unprocessed. */
    static void giveUpAfter(int round, Map<String, ?> pending, String what) {
        if (round + 1 >= MAX_ROUNDS && !pending.isEmpty()) {
            throw new GaveUpException("DynamoDB left " + what + " unprocessed after " + MAX_ROUNDS + " rounds");
        }
    }

    /** Work DynamoDB still left unprocessed after {@link #MAX_ROUNDS} rounds: a caller that can resume later catches it. */
    static final class GaveUpException extends IllegalStateException {
        GaveUpException(String message) {
            super(message);
        }
    }

    static void backOff(int round) {
        try {
            Thread.sleep(Math.min(1000, 20L << Math.min(round, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
