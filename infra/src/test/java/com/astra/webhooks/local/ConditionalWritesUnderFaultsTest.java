package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.local.DynamoDbFaultProxy.Fault;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.dynamodb.DynamoDbDispatchStore;
import com.astra.webhooks.store.dynamodb.DynamoDbEventStore;
import com.astra.webhooks.store.dynamodb.DynamoDbRateLimiter;
import com.astra.webhooks.store.dynamodb.DynamoDbTestModeStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Each conditional write of the delivery path, on dynoxide, with exactly that call applied and
 * then answered 500 or reset by {@link DynamoDbFaultProxy}: the SDK's retry then fails the
 * condition on the item the first try wrote, and the store must see its own write, not another
 * writer's.
 */
class ConditionalWritesUnderFaultsTest {

    private static final String TABLE = "astra-webhooks";
    private static Dynoxide dynoxide;
    private static DynamoDbFaultProxy proxy;
    private static DynamoDbClient dynamo;

    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        dynoxide = Dynoxide.start(Dynoxide.locate().orElseThrow(), LocalRunner.freePort(), null);
        proxy = new DynamoDbFaultProxy(dynoxide.endpoint(), 1);
        dynamo = AwsClients.dynamoDb(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_DYNAMODB, proxy.endpoint(),
                Settings.AWS_REGION, LocalRunner.REGION)));
        Eventually.await(Duration.ofSeconds(30), "dynoxide", () -> {
            try {
                dynamo.listTables(b -> b.limit(1));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        TableSetup.ensure(dynamo, TemplateModel.bundled(), "AstraTable", TABLE);
    }

    @AfterAll
    static void stop() throws Exception {
        dynamo.close();
        proxy.close();
        dynoxide.close();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"APPLIED_THEN_500", "APPLIED_THEN_RESET"})
    void anAttemptRecordWhoseAnswerWasLostIsThisWorkersAndAnotherWorkersIsNot(Fault fault) {
        DispatchStore store = new DynamoDbDispatchStore(dynamo, TABLE, Duration.ofDays(1));
        Dispatch mine = dispatch(tenant, 123);
        long injected = proxy.injected(fault);
        proxy.next("PutItem", fault);
        assertTrue(store.record(mine), "the record this call wrote is its own: its retry is scheduled by it");
        assertEquals(injected + 1, proxy.injected(fault), "the write was applied and its answer lost");
        Dispatch another = new Dispatch(mine.id(), mine.tenant(), mine.webhookId(), mine.eventId(), mine.eventType(),
                mine.url(), mine.attempt(), mine.outcome(), mine.statusCode(), mine.responseBody(), 456, mine.error(),
                mine.requestHeaders(), null, mine.createdAt(), mine.nextAttemptAt(), mine.trigger());
        assertFalse(store.record(another), "another worker's attempt under the same id is not ours");
        assertEquals(123, store.find(tenant, Map.of(mine.webhookId(), mine.id())).get(mine.webhookId()).latencyMs(),
                "the first record stands");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"APPLIED_THEN_500", "APPLIED_THEN_RESET"})
    void anEventPayloadWhoseAnswerWasLostIsNewToTheWorkerThatWroteIt(Fault fault) {
        EventStore events = new DynamoDbEventStore(dynamo, TABLE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        proxy.next("PutItem", fault);
        EventStore.Stored first = events.putIfAbsent(tenant, "evt_1", "agent_completed", "{\"n\":1}", now, now.plusSeconds(600));
        assertTrue(first.first(), "its own write: sent now, not after another worker's lease");
        assertEquals(now, first.firstSeen());
        EventStore.Stored second = events.putIfAbsent(tenant, "evt_1", "agent_completed", "{\"n\":2}", now.plusSeconds(1),
                now.plusSeconds(600));
        assertFalse(second.first(), "a copy of the event at another worker is not new");
        assertEquals(now, second.firstSeen());
        assertEquals("{\"n\":1}", second.payload(), "the first payload stays");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"APPLIED_THEN_500", "APPLIED_THEN_RESET", "SERVER_ERROR", "RESET"})
    void aBatchOfEventPayloadsWhoseAnswerWasLostIsNewToTheWorkerThatWroteIt(Fault fault) {
        EventStore events = new DynamoDbEventStore(dynamo, TABLE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        events.putIfAbsent(tenant, "evt_known", "agent_completed", "{\"n\":0}", now.minusSeconds(5), now.plusSeconds(600));
        long injected = proxy.injected(fault);
        proxy.next("BatchExecuteStatement", fault);
        List<EventStore.Stored> stored = events.putAllIfAbsent(List.of(
                new EventStore.NewEvent(tenant, "evt_1", "agent_completed", "{\"n\":1}"),
                new EventStore.NewEvent(tenant, "evt_known", "agent_completed", "{\"n\":2}"),
                new EventStore.NewEvent(tenant, "evt_3", "agent_completed", "{\"big\":\"" + "x".repeat(400) + "\"}")),
                now, now.plusSeconds(600));
        assertEquals(injected + 1, proxy.injected(fault), "the batch call met its fault");
        assertEquals(new EventStore.Stored("{\"n\":1}", now, true), stored.get(0), "its own insert: sent now");
        assertEquals(new EventStore.Stored("{\"n\":0}", now.minusSeconds(5), false), stored.get(1),
                "known before: the first payload and when it was first seen");
        assertTrue(stored.get(2).first(), "its own insert, compressed: sent now");
        assertEquals(Map.of("evt_1", "{\"n\":1}", "evt_known", "{\"n\":0}", "evt_3", stored.get(2).payload()),
                events.payloads(tenant, List.of("evt_1", "evt_known", "evt_3")));
        List<EventStore.Stored> again = events.putAllIfAbsent(List.of(
                new EventStore.NewEvent(tenant, "evt_1", "agent_completed", "{\"n\":9}"),
                new EventStore.NewEvent(tenant, "evt_3", "agent_completed", "{}")), now.plusSeconds(1), now.plusSeconds(600));
        assertFalse(again.get(0).first() || again.get(1).first(), "copies at another worker are not new");
        assertEquals("{\"n\":1}", again.get(0).payload());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"APPLIED_THEN_500", "APPLIED_THEN_RESET"})
    void aRateLimitSlotWhoseAnswerWasLostIsTakenOnceInBothForms(Fault fault) {
        DynamoDbRateLimiter limiter = new DynamoDbRateLimiter(dynamo, TABLE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Duration interval = Duration.ofMillis(100); // 10 a second
        proxy.next("UpdateItem", fault); // the idle form: next = now + interval
        assertEquals(now, limiter.reserve(tenant, "wh_1", 10, now), "the idle form's own slot: now");
        proxy.next("UpdateItem", fault); // the busy form: next += interval
        assertEquals(now.plus(interval), limiter.reserve(tenant, "wh_1", 10, now), "the busy form's own slot, taken once");
        assertEquals(now.plus(interval.multipliedBy(2)), limiter.reserve(tenant, "wh_1", 10, now),
                "no slot was spent by a retry");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"APPLIED_THEN_500", "APPLIED_THEN_RESET"})
    void aRecoverClaimWhoseAnswerWasLostIsHeldByItsCallOnly(Fault fault) {
        DispatchStore store = new DynamoDbDispatchStore(dynamo, TABLE, Duration.ofDays(1));
        Dispatch failed = dispatch(tenant, 10);
        assertTrue(store.record(failed));
        proxy.next("UpdateItem", fault);
        assertTrue(store.claimRecovery(tenant, failed.webhookId(), failed.id(), Instant.now(), "rcv_mine"));
        assertEquals(Optional.of("rcv_mine"), store.recoveryMark(tenant, failed.webhookId(), failed.id()));
        assertFalse(store.claimRecovery(tenant, failed.webhookId(), failed.id(), Instant.now(), "rcv_other"),
                "another recover does not get it");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"APPLIED_THEN_500", "APPLIED_THEN_RESET"})
    void aTestLogClearWhoseAnswerWasLostStands(Fault fault) {
        DynamoDbTestModeStore testModes = new DynamoDbTestModeStore(dynamo, TABLE);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        proxy.next("UpdateItem", fault);
        testModes.clearLog(tenant, at); // the retry fails its condition on its own mark: no error
        assertEquals(at, testModes.get(tenant).logClearedAt());
        testModes.clearLog(tenant, at.minusSeconds(5)); // an older clear changes nothing
        assertEquals(at, testModes.get(tenant).logClearedAt());
    }

    private static Dispatch dispatch(String tenant, long latencyMs) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = Ids.dispatchId(at, tenant, "evt_1", "wh_1", "1");
        return new Dispatch(id, tenant, "wh_1", "evt_1", "agent_completed", "https://example.com/hook", 1,
                Dispatch.Outcome.FAILED, 500, "no", latencyMs, "HTTP 500", Map.of("webhook-id", "evt_1"), null, at,
                at.plusSeconds(5), Dispatch.Trigger.EVENT);
    }
}
