package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.SnapStartPriming;
import com.astra.webhooks.bench.ConsumedCapacityInterceptor;
import com.astra.webhooks.local.AstraLocalExtension;
import com.astra.webhooks.worker.DispatcherHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handlers' SnapStart warm-ups, as each no-argument constructor registered them. (The CRaC
 * compatibility layer refuses to run a checkpoint on a JVM without CRaC, so each registered hook
 * is called directly.) They must touch DynamoDB, so its code paths land in the snapshot, never
 * write, and never fail.
 */
@ExtendWith(AstraLocalExtension.class)
class SnapStartPrimingTest {

    @Test
    void warmUpsBeforeTheCheckpointReadButNeverWrite() throws Exception {
        // GIVEN every function's handler, built from its own environment as Lambda builds it
        List<SnapStartPriming> hooks = List.of(
                AstraLocalExtension.asFunction("WebhooksFunction", WebhooksHandler::new).priming,
                AstraLocalExtension.asFunction("TestModeFunction", TestModeHandler::new).priming,
                AstraLocalExtension.asFunction("InspectorFunction", InspectorHandler::new).priming,
                AstraLocalExtension.asFunction("DispatcherFunction", DispatcherHandler::new).priming());

        // WHEN the runtime announces the checkpoint
        ConsumedCapacityInterceptor.start();
        for (SnapStartPriming hook : hooks) {
            hook.beforeCheckpoint(null);
        }
        Map<String, ConsumedCapacityInterceptor.Tally> calls = ConsumedCapacityInterceptor.stop();

        // THEN each warm-up read the table: webhooks and test mode by key, the inspector and the
        // dispatcher by query, the dispatcher's event payload by key; and nothing was written
        long gets = calls.containsKey("GetItem") ? calls.get("GetItem").calls.sum() : 0;
        long queries = calls.containsKey("Query") ? calls.get("Query").calls.sum() : 0;
        assertTrue(gets >= 4, "GetItem calls: " + gets);
        assertTrue(queries >= 2, "Query calls: " + queries);
        calls.forEach((operation, tally) -> {
            assertTrue(!ConsumedCapacityInterceptor.isWrite(operation), "warm-up wrote with " + operation);
            assertEquals(0, tally.failures.sum(), operation + " failed");
        });
    }
}
