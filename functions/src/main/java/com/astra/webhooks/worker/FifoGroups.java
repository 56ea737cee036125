package com.astra.webhooks.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Lambda's rule for a batch from a FIFO queue: within a message group, messages are handled one
 * after another in batch order, and once one is not done, it and every later message of its
 * group in the batch are reported as failures (SQS then hands them out again in the same
 * order). Groups are independent and run at once.
 */
final class FifoGroups {

    /** Handles one message: true when it is done (to be deleted), false when it must come again. */
    interface Step {
        boolean handle(OrderedMessage message);
    }

    /** Runs after a message was not done, for each later message of its group in the batch. */
    interface Skipped {
        void skipped(OrderedMessage message);
    }

    private FifoGroups() {}

    static Set<String> process(List<OrderedMessage> batch, Executor executor, Step step, Skipped skipped) {
        Map<String, List<OrderedMessage>> groups = new LinkedHashMap<>();
        batch.forEach(m -> groups.computeIfAbsent(m.groupId(), g -> new ArrayList<>()).add(m));
        List<CompletableFuture<List<String>>> work = new ArrayList<>();
        for (List<OrderedMessage> group : groups.values()) {
            work.add(CompletableFuture.supplyAsync(() -> inOrder(group, step, skipped), executor));
        }
        Set<String> failed = new HashSet<>();
        work.forEach(w -> failed.addAll(w.join()));
        return failed;
    }

    private static List<String> inOrder(List<OrderedMessage> group, Step step, Skipped skipped) {
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            boolean done;
            try {
                done = step.handle(group.get(i));
            } catch (RuntimeException e) {
                done = false;
            }
            if (!done) {
                for (int j = i; j < group.size(); j++) {
                    failed.add(group.get(j).messageId());
                    if (j > i) {
                        try {
                            skipped.skipped(group.get(j));
                        } catch (RuntimeException e) {
                            // it comes back after its visibility timeout instead, still behind the failed one
                        }
                    }
                }
                break;
            }
        }
        return failed;
    }
}
