package com.astra.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.bench.ConsumedCapacityInterceptor;
import com.astra.webhooks.local.AstraLocalExtension;
import com.astra.webhooks.local.LocalRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The shared send-rate limiter against a real DynamoDB emulator. Each limiter instance stands
 * for one dispatcher container; they share nothing but the table. Times are given, not read
 * from the clock, so a burst "at one instant" is exact and no test waits.
 */
@ExtendWith(AstraLocalExtension.class)
class DynamoDbRateLimiterTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final DynamoDbClient dynamo;

    DynamoDbRateLimiterTest(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    private DynamoDbRateLimiter container() {
        return new DynamoDbRateLimiter(dynamo, LocalRunner.TABLE_NAME);
    }

    @Test
    void aBurstFromFourContainersIsSpreadSoNoSecondHoldsMoreThanTheLimit() throws Exception {
        String webhook = "wh_" + UUID.randomUUID();
        List<Instant> slots = reserveConcurrently(4, webhook, 200, 20);
        assertEquals(T0, slots.get(0), "an idle webhook sends at once");
        for (int i = 1; i < slots.size(); i++) {
            assertEquals(Duration.ofMillis(50), Duration.between(slots.get(i - 1), slots.get(i)),
                    "slots are 1/limit apart, none shared");
        }
        assertTrue(maxInAnySecond(slots) <= 20, "at most 20 slots in any 1-second window");
    }

    @Test
    void anIdleWebhookBanksNoSlotsForALaterBurst() {
        String webhook = "wh_" + UUID.randomUUID();
        DynamoDbRateLimiter a = container();
        a.reserve("t-rl", webhook, 10, T0);
        Instant later = T0.plusSeconds(30);
        List<Instant> slots = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            slots.add(container().reserve("t-rl", webhook, 10, later)); // another container each time
        }
        assertEquals(later, slots.get(0));
        assertEquals(later.plusMillis(2400), slots.get(24), "25 sends at 10/s after a pause still take 2.4 s");
        assertEquals(later.plusMillis(2500), a.reserve("t-rl", webhook, 10, later),
                "a container that last saw the webhook idle learns it is busy now");
    }

    @Test
    void eachReservationIsOneWriteWhenOneContainerSendsAndAWrongGuessCostsOneMore() {
        String webhook = "wh_" + UUID.randomUUID();
        DynamoDbRateLimiter a = container();
        DynamoDbRateLimiter b = container();
        ConsumedCapacityInterceptor.start();
        for (int i = 0; i < 50; i++) {
            a.reserve("t-rl", webhook, 100, T0);
        }
        Map<String, ConsumedCapacityInterceptor.Tally> oneContainer = ConsumedCapacityInterceptor.stop();
        assertEquals(50, oneContainer.get("UpdateItem").calls.sum());
        assertEquals(50.0, oneContainer.get("UpdateItem").total.sum(), 1e-9);

        ConsumedCapacityInterceptor.start();
        b.reserve("t-rl", webhook, 100, T0); // b has never seen it: guesses idle, is told busy
        Map<String, ConsumedCapacityInterceptor.Tally> wrongGuess = ConsumedCapacityInterceptor.stop();
        assertEquals(2, wrongGuess.get("UpdateItem").calls.sum());
        assertEquals(1, wrongGuess.get("UpdateItem").failures.sum());
    }

    @Test
    void aLimitAboveOneItemsWriteBudgetIsShardedAndStillHeld() throws Exception {
        String webhook = "wh_" + UUID.randomUUID();
        List<Instant> slots = reserveConcurrently(2, webhook, 1500, 1000);
        // two shards of 500/s: each paces its own share, so a window holds at most one extra slot per shard
        assertTrue(maxInAnySecond(slots) <= 1000 + 2, "got " + maxInAnySecond(slots));
    }

    /** {@code count} reservations at {@code T0} from {@code containers} limiters on 8 threads, sorted. */
    private List<Instant> reserveConcurrently(int containers, String webhook, int count, int limit) throws Exception {
        List<DynamoDbRateLimiter> limiters = new ArrayList<>();
        for (int i = 0; i < containers; i++) {
            limiters.add(container());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Instant>> reserved = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                DynamoDbRateLimiter c = limiters.get(i % containers);
                reserved.add(pool.submit(() -> c.reserve("t-rl", webhook, limit, T0)));
            }
            List<Instant> slots = new ArrayList<>();
            for (Future<Instant> f : reserved) {
                slots.add(f.get());
            }
            Collections.sort(slots);
            return slots;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The most slots in any window [s, s + 1 s) that starts at a slot. */
    static int maxInAnySecond(List<Instant> sorted) {
        int max = 0;
        int j = 0;
        for (int i = 0; i < sorted.size(); i++) {
            while (j < sorted.size() && sorted.get(j).isBefore(sorted.get(i).plusSeconds(1))) {
                j++;
            }
            max = Math.max(max, j - i);
        }
        return max;
    }
}
