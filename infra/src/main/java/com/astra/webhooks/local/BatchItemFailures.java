package com.astra.webhooks.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reads a function's {@code ReportBatchItemFailures} response as Lambda does: null, empty or an
 * empty list means all succeeded; a list names the failed message ids; anything malformed
 * (unparseable JSON, a missing, empty or unknown itemIdentifier) fails the whole batch.
 */
final class BatchItemFailures {

    /** The response cannot be trusted, so every message of the batch counts as failed. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private BatchItemFailures() {}

    static Set<String> parse(byte[] response, List<Message> batch) throws Invalid {
        Object tree;
        try {
            tree = response.length == 0 ? null : JSON.std.anyFrom(response);
        } catch (IOException | RuntimeException e) {
            throw new Invalid("batch response is not JSON");
        }
        if (tree == null) {
            return Set.of();
        }
        if (!(tree instanceof Map<?, ?> object)) {
            throw new Invalid("batch response is not an object");
        }
        Object failures = object.get("batchItemFailures");
        if (failures == null) {
            return Set.of();
        }
        if (!(failures instanceof List<?> list)) {
            throw new Invalid("batchItemFailures is not a list");
        }
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        Set<String> failed = new HashSet<>();
        for (Object item : list) {
            Object id = item instanceof Map<?, ?> m ? m.get("itemIdentifier") : null;
            if (!(id instanceof String s) || s.isEmpty() || !ids.contains(s)) {
                throw new Invalid("itemIdentifier " + id + " is not a message of this batch");
            }
            failed.add(s);
        }
        return failed;
    }
}
