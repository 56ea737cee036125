package com.astra.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

class MergedPartitionsTest {

    /** A partition of sort keys, answering Queries newest first the way DynamoDB pages them. */
    private static MergedPartitions.Partition partition(List<String> keys, AtomicInteger itemsRead) {
        List<String> desc = keys.stream().sorted(Comparator.reverseOrder()).toList();
        return (start, limit) -> {
            int from = start == null ? 0 : desc.indexOf(start.get(TableLayout.SK).s()) + 1;
            int to = Math.min(desc.size(), from + limit);
            itemsRead.addAndGet(to - from);
            QueryResponse.Builder r = QueryResponse.builder().items(desc.subList(from, to).stream()
                    .map(k -> Map.of(TableLayout.SK, AttributeValue.fromS(k))).toList());
            if (to < desc.size()) {
                r.lastEvaluatedKey(Map.of(TableLayout.SK, AttributeValue.fromS(desc.get(to - 1))));
            }
            return r.build();
        };
    }

    private static List<String> keys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get(TableLayout.SK).s()).toList();
    }

    @Test
    void interleavedPartitionsComeOutNewestFirstWithNothingMissingOrTwice() {
        AtomicInteger read = new AtomicInteger();
        List<List<String>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 300; i++) {
            parts.get((i * 7 + i / 13) % 3).add(String.format("k%04d", i));
        }
        List<String> expected = IntStream.range(0, 300).mapToObj(i -> String.format("k%04d", 299 - i)).limit(51).toList();

        var merged = MergedPartitions.newest(parts.stream().map(p -> partition(p, read)).toList(), 51, 10, 51);

        assertEquals(expected, keys(merged));
    }

    @Test
    void aPageReadsAboutWhatItShowsNotAPageFromEveryPartition() {
        AtomicInteger read = new AtomicInteger();
        List<MergedPartitions.Partition> parts = new ArrayList<>();
        // one busy webhook and nine quiet ones whose dispatches are all older
        parts.add(partition(IntStream.range(1000, 2000).mapToObj(i -> "k" + i).toList(), read));
        for (int w = 0; w < 9; w++) {
            int base = w * 100;
            parts.add(partition(IntStream.range(base, base + 100).mapToObj(i -> "k0" + i).collect(Collectors.toList()), read));
        }

        var merged = MergedPartitions.newest(parts, 51, 10, 51);

        assertEquals(IntStream.range(0, 51).mapToObj(i -> "k" + (1999 - i)).toList(), keys(merged));
        assertTrue(read.get() <= 10 + 15 + 23 + 35 + 9 * 10, "read " + read.get() + " items for a page of 51");
    }

    @Test
    void partitionsThatRunOutEndTheList() {
        AtomicInteger read = new AtomicInteger();
        var merged = MergedPartitions.newest(List.of(partition(List.of("a", "c"), read), partition(List.of("b"), read),
                partition(List.of(), read)), 10, 10, 10);
        assertEquals(List.of("c", "b", "a"), keys(merged));
    }
}
