package com.astra.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The ordering rule of the ordered stage, over random webhooks, keys, failures and batches:
 * {@link FifoGroups} (the lane's batch handling) driven by a model of an SQS FIFO queue (order
 * within a group, a group held while any of its messages is in flight, two pollers taking
 * batches at once) and a receiver that fails chosen attempts. Per (webhook, key), the sequence
 * the receiver accepts is strictly increasing, and every event ends delivered or failed for good.
 */
class OrderingRulePropertiesTest {

    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(4);
    private static final int MAX_ATTEMPTS = 3;

    @AfterContainer
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    /** One message of the stage: the n-th event of a key at a webhook, failing its first {@code failures} attempts. */
    record Delivery(String group, long sequence, int failures) {}

    /** The queue model: messages in send order, each visible or in flight. */
    static final class FifoQueue {
        final List<Delivery> messages = new ArrayList<>();
        final Set<Delivery> inFlight = new HashSet<>();

        List<Delivery> receive(int max) {
            Set<String> held = new HashSet<>();
            inFlight.forEach(d -> held.add(d.group()));
            List<Delivery> batch = new ArrayList<>();
            for (Delivery d : messages) {
                if (batch.size() == max) {
                    break;
                }
                if (held.contains(d.group()) || inFlight.contains(d)) {
                    held.add(d.group()); // nothing of a group after a message in flight
                    continue;
                }
                batch.add(d);
            }
            inFlight.addAll(batch);
            return batch;
        }
    }

    @Provide
    Arbitrary<List<Integer>> failures() {
        return Arbitraries.integers().between(0, MAX_ATTEMPTS + 1).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 200)
    void perWebhookAndKeyTheAcceptedSequenceStrictlyIncreases(@ForAll("failures") List<Integer> failures,
            @ForAll("groups") int groups, @ForAll("batch") int batchSize) {
        FifoQueue queue = new FifoQueue();
        Map<String, Long> next = new HashMap<>();
        for (int i = 0; i < failures.size(); i++) {
            String group = "wh" + (i % groups) + ":k" + (i * 7 % (groups + 1));
            long sequence = next.merge(group, 1L, Long::sum);
            queue.messages.add(new Delivery(group, sequence, failures.get(i)));
        }
        Map<Delivery, Integer> attempts = new HashMap<>();
        Map<String, List<Long>> accepted = new LinkedHashMap<>();
        Map<String, Long> finished = new HashMap<>();
        int rounds = 0;
        while (!queue.messages.isEmpty()) {
            assertTrue(++rounds < 10_000, "the queue drains");
            // two pollers take their batches before either is handled, as Lambda's do
            List<List<Delivery>> batches = List.of(queue.receive(batchSize), queue.receive(batchSize));
            for (List<Delivery> batch : batches) {
                Map<String, Delivery> byId = new LinkedHashMap<>();
                List<OrderedMessage> messages = new ArrayList<>();
                for (Delivery d : batch) {
                    String id = d.group() + "#" + d.sequence();
                    byId.put(id, d);
                    messages.add(new OrderedMessage(id, "", d.group(), id, 1));
                }
                Set<String> failed = FifoGroups.process(messages, EXECUTOR, m -> {
                    Delivery d = byId.get(m.messageId());
                    int attempt = attempts.merge(d, 1, Integer::sum);
                    if (attempt > d.failures()) {
                        synchronized (accepted) {
                            accepted.computeIfAbsent(d.group(), g -> new ArrayList<>()).add(d.sequence());
                        }
                        return true; // delivered
                    }
                    return attempt >= MAX_ATTEMPTS; // failed for good releases the next; else it waits
                }, m -> { });
                for (Map.Entry<String, Delivery> e : byId.entrySet()) {
                    queue.inFlight.remove(e.getValue());
                    if (!failed.contains(e.getKey())) {
                        queue.messages.remove(e.getValue());
                        synchronized (finished) {
                            finished.merge(e.getValue().group(), 1L, Long::sum);
                        }
                    }
                }
            }
        }
        accepted.forEach((group, sequences) -> {
            for (int i = 1; i < sequences.size(); i++) {
                assertTrue(sequences.get(i) > sequences.get(i - 1), group + " accepted " + sequences);
            }
        });
        assertEquals(next, finished, "every event ended, delivered or failed for good");
    }

    @Provide
    Arbitrary<Integer> groups() {
        return Arbitraries.integers().between(1, 4);
    }

    @Provide
    Arbitrary<Integer> batch() {
        return Arbitraries.integers().between(1, 10);
    }
}
