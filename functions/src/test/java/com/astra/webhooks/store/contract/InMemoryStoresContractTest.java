package com.astra.webhooks.store.contract;

import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.testing.InMemoryDispatchHistory;
import com.astra.webhooks.testing.InMemoryDispatchStore;
import com.astra.webhooks.testing.InMemoryEventStore;
import com.astra.webhooks.testing.InMemoryTestModeStore;
import com.astra.webhooks.testing.InMemoryWebhookStore;
import java.time.Clock;
import org.junit.jupiter.api.Nested;

/** The in-memory fakes against the store contracts: what unit tests rely on is what DynamoDB does. */
class InMemoryStoresContractTest {

    static StoreSet stores() {
        InMemoryWebhookStore webhooks = new InMemoryWebhookStore();
        InMemoryEventStore events = new InMemoryEventStore();
        InMemoryTestModeStore testModes = new InMemoryTestModeStore();
        InMemoryDispatchStore dispatches = new InMemoryDispatchStore();
        return new StoreSet(webhooks, events, testModes, dispatches,
                new InMemoryDispatchHistory(dispatches, webhooks, events, testModes));
    }

    @Nested
    class Webhooks extends WebhookStoreContract {
        @Override
        protected WebhookStore store(Clock clock, int maxWebhooks) {
            return new InMemoryWebhookStore(clock, maxWebhooks);
        }
    }

    @Nested
    class Events extends EventStoreContract {
        @Override
        protected EventStore store() {
            return new InMemoryEventStore();
        }
    }

    @Nested
    class TestModes extends TestModeStoreContract {
        @Override
        protected TestModeStore store() {
            return new InMemoryTestModeStore();
        }
    }

    @Nested
    class Dispatches extends DispatchStoreContract {
        @Override
        protected StoreSet stores() {
            return InMemoryStoresContractTest.stores();
        }
    }

    @Nested
    class History extends DispatchHistoryContract {
        @Override
        protected StoreSet stores() {
            return InMemoryStoresContractTest.stores();
        }
    }
}
