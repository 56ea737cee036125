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

    /**
     * A partition of sort keys below {@code before}, where DynamoDB checks a filter while reading:
     * a Query evaluates up to {@code limit} keys and returns those that match.
     */
    private static MergedPartitions.Partition filtered(List<String> keys, java.util.function.Predicate<String> match,
            String before, AtomicInteger queries) {
        List<String> desc = keys.stream().filter(k -> before == null || k.compareTo(before) < 0)
                .sorted(Comparator.reverseOrder()).toList();
        return (start, limit) -> {
            queries.incrementAndGet();
            int from = start == null ? 0 : desc.indexOf(start.get(TableLayout.SK).s()) + 1;
            int to = Math.min(desc.size(), from + limit);
            QueryResponse.Builder r = QueryResponse.builder().items(desc.subList(from, to).stream().filter(match)
                    .map(k -> Map.of(TableLayout.SK, AttributeValue.fromS(k))).toList());
            if (to < desc.size()) {
                r.lastEvaluatedKey(Map.of(TableLayout.SK, AttributeValue.fromS(desc.get(to - 1))));
            }
            return r.build();
        };
    }

    @Test
    void aRareFilterIsPagedWithinTheQueryBudgetAndThePagesTogetherHoldEveryMatchOnce() {
        List<List<String>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 3000; i++) {
            parts.get((i * 7 + i / 13) % 3).add(String.format("k%05d", i));
        }
        java.util.function.Predicate<String> rare = k -> Integer.parseInt(k.substring(1)) % 397 == 0;
        List<String> expected = IntStream.range(0, 3000).map(i -> 2999 - i).filter(i -> i % 397 == 0)
                .mapToObj(i -> String.format("k%05d", i)).toList();

        List<String> seen = new ArrayList<>();
        String before = null;
        int requests = 0;
        int emptyPages = 0;
        while (true) {
            AtomicInteger queries = new AtomicInteger();
            String bound = before;
            var merged = MergedPartitions.newest(parts.stream().map(p -> filtered(p, rare, bound, queries)).toList(),
                    3, 10, 50, parts.size() + 2);
            requests++;
            assertTrue(queries.get() <= parts.size() + 2, "a request made " + queries.get() + " queries");
            seen.addAll(keys(merged.items()));
            if (merged.items().isEmpty() && merged.truncated()) {
                emptyPages++;
            }
            if (merged.items().size() == 3) {
                before = merged.items().get(2).get(TableLayout.SK).s(); // a full page: the next starts below it
            } else if (merged.truncated()) {
                before = merged.resumeBelow();
            } else {
                break;
            }
            assertTrue(requests < 500, "paging must end");
        }
        assertEquals(expected, seen, "every match once, newest first, across the budgeted pages");
        assertTrue(emptyPages > 0, "the budget ran out before a match at least once (" + requests + " requests)");
    }

    @Test
    void withoutABudgetNothingIsTruncated() {
        AtomicInteger queries = new AtomicInteger();
        var merged = MergedPartitions.newest(List.of(filtered(List.of("a", "b", "c"), k -> k.equals("a"), null, queries)),
                3, 1, 1, Integer.MAX_VALUE);
        assertEquals(List.of("a"), keys(merged.items()));
        assertTrue(!merged.truncated());
    }
}
