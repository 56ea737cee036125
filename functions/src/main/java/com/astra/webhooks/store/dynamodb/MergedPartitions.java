package com.astra.webhooks.store.dynamodb;

import static com.astra.webhooks.store.dynamodb.TableLayout.SK;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The newest items of several partitions that share one sort order (dispatch ids), merged
 * lazily: a partition is read further only while it could still hold an item newer than the
 * next one to hand out. So a page reads about as many items as it shows (divided by the
 * filter's share), however the matches are spread over the partitions, instead of a full page
 * from every partition; and what it reads does not grow with the table.
 */
final class MergedPartitions {

    /** One partition, read newest first: given a start key (null first) and a limit, one Query. */
    interface Partition extends BiFunction<Map<String, AttributeValue>, Integer, QueryResponse> {}

    private MergedPartitions() {}

    /**
     * Up to {@code count} items, newest first, from all partitions together. A partition's first
     * Query reads {@code firstChunk} items (before any filter), each further one half as many
     * again as the one before, up to {@code maxChunk}: a partition that holds most of the page,
     * or whose items a filter mostly drops, is read in a few calls, the others in one, and no
     * partition reads much more than half again what the page needs from it.
     */
    static List<Map<String, AttributeValue>> newest(List<Partition> partitions, int count, int firstChunk, int maxChunk) {
        return newest(partitions, count, firstChunk, maxChunk, Integer.MAX_VALUE).items();
    }

    /**
     * What one request read: the items, and, when it stopped at {@code maxQueries} before the
     * page was full, where the next request resumes. {@code resumeBelow} is then a sort key
     * such that every item at or above it, in every partition, was read, and every one that
     * matched is in {@code items}: the last item handed out, or, when none was, the highest
     * point down to which all partitions were read.
     */
    record Merged(List<Map<String, AttributeValue>> items, String resumeBelow) {
        boolean truncated() {
            return resumeBelow != null;
        }
    }

    /**
     * As above, with at most {@code maxQueries} Queries in all (at least one per partition, so
     * that each partition's frontier is known): a rare filter over a long history then costs a
     * bounded request and a cursor, not a run into the Lambda or API Gateway timeout.
     */
    static Merged newest(List<Partition> partitions, int count, int firstChunk, int maxChunk, int maxQueries) {
        List<Reader> readers = partitions.stream().map(p -> new Reader(p, firstChunk, maxChunk)).toList();
        int budget = Math.max(maxQueries, partitions.size());
        int queries = 0;
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        while (out.size() < count) {
            Reader best = null;
            for (Reader r : readers) {
                if (!r.buffer.isEmpty() && (best == null || r.head().compareTo(best.head()) > 0)) {
                    best = r;
                }
            }
            String bound = best == null ? null : best.head();
            Reader behind = null;
            for (Reader r : readers) {
                // Unread items of r lie below its frontier: if that is above the best head, r
                // may hold something newer than it, so r must be read first. Of those, the one
                // read least far (an unread one first), so that every partition's frontier is
                // known after one query each.
                if (r.buffer.isEmpty() && !r.exhausted && (bound == null || r.frontierAbove(bound))
                        && (behind == null || behind.frontier != null && r.frontierAbove(behind.frontier))) {
                    behind = r;
                }
            }
            if (behind != null) {
                if (queries == budget) {
                    return new Merged(out, out.isEmpty() ? readToAll(readers) : out.get(out.size() - 1).get(SK).s());
                }
                queries++;
                behind.read();
            } else if (best == null) {
                break; // every partition read to its end
            } else {
                out.add(best.buffer.poll());
            }
        }
        return new Merged(out, null);
    }

    /**
     * With nothing handed out yet: the highest frontier. Every partition still being read was
     * read down to its own frontier, so down to the highest one all were; and nothing it holds
     * at or above it matched, else it would be buffered above the others' frontiers and handed
     * out (the item at that frontier was read and, being no higher than the rest, filtered out).
     */
    private static String readToAll(List<Reader> readers) {
        String highest = null;
        for (Reader r : readers) {
            if (!r.exhausted && (highest == null || r.frontier.compareTo(highest) > 0)) {
                highest = r.frontier;
            }
        }
        return highest;
    }

    private static final class Reader {
        private final Partition partition;
        private final int maxChunk;
        private int chunk;
        private final Deque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> start;
        /** Sort key of the last item evaluated (null: nothing read yet, everything may be unread). */
        private String frontier;
        private boolean exhausted;

        Reader(Partition partition, int firstChunk, int maxChunk) {
            this.partition = partition;
            this.chunk = firstChunk;
            this.maxChunk = Math.max(firstChunk, maxChunk);
        }

        String head() {
            return buffer.peek().get(SK).s();
        }

        boolean frontierAbove(String sortKey) {
            return frontier == null || frontier.compareTo(sortKey) > 0;
        }

        void read() {
            QueryResponse response = partition.apply(start, chunk);
            chunk = Math.min(maxChunk, chunk + (chunk + 1) / 2);
            buffer.addAll(response.items());
            if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
                start = response.lastEvaluatedKey();
                frontier = start.get(SK).s();
            } else {
                exhausted = true;
            }
        }
    }
}
