package com.astra.webhooks.store.contract;

import com.astra.webhooks.store.DispatchHistory;
import com.astra.webhooks.store.DispatchStore;
import com.astra.webhooks.store.EventStore;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;

/** Stores over one storage, as the contracts of the dispatch stores need them together (a history reads what the others wrote). */
public record StoreSet(WebhookStore webhooks, EventStore events, TestModeStore testModes, DispatchStore dispatches,
        DispatchHistory history) {}
