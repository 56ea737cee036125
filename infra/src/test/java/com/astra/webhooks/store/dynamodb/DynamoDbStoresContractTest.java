package com.astra.webhooks.store.dynamodb;

import com.astra.webhooks.local.AstraLocalExtension;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.store.contract.DispatchHistoryContract;
import com.astra.webhooks.store.contract.DispatchStoreContract;
import com.astra.webhooks.store.contract.EventStoreContract;
import com.astra.webhooks.store.contract.StoreSet;
import com.astra.webhooks.store.contract.TestModeStoreContract;
import com.astra.webhooks.store.contract.WebhookStoreContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB stores against the store contracts, on the runner's dynoxide: the same tests the in-memory fakes pass. */
@ExtendWith(AstraLocalExtension.class)
class DynamoDbStoresContractTest {

    private static DynamoDbClient dynamo() {
        return AstraLocalExtension.dynamoDb();
    }

    private static String table() {
        return AstraLocalExtension.tableName();
    }

    static StoreSet stores() {
        DynamoDbEventStore events = new DynamoDbEventStore(dynamo(), table());
        DynamoDbTestModeStore testModes = new DynamoDbTestModeStore(dynamo(), table());
        return new StoreSet(new DynamoDbWebhookStore(dynamo(), table(), Clock.systemUTC()), events, testModes,
                new DynamoDbDispatchStore(dynamo(), table(), Duration.ofDays(30)),
                new DynamoDbDispatchHistory(dynamo(), table(), events, testModes));
    }

    @Nested
    class Webhooks extends WebhookStoreContract {
        @Override
        protected WebhookStore store(Clock clock, int maxWebhooks) {
            return new DynamoDbWebhookStore(dynamo(), table(), clock, maxWebhooks);
        }
    }

    @Nested
    class Events extends EventStoreContract {
        @Override
        protected EventStore store() {
            return new DynamoDbEventStore(dynamo(), table());
        }
    }

    @Nested
    class TestModes extends TestModeStoreContract {
        @Override
        protected TestModeStore store() {
            return new DynamoDbTestModeStore(dynamo(), table());
        }
    }

    @Nested
    class Dispatches extends DispatchStoreContract {
        @Override
        protected StoreSet stores() {
            return DynamoDbStoresContractTest.stores();
        }
    }

    @Nested
    class History extends DispatchHistoryContract {
        @Override
        protected StoreSet stores() {
            return DynamoDbStoresContractTest.stores();
        }
    }
}
