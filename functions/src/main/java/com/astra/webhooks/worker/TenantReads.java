package com.astra.webhooks.worker;

import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.TestModeStore;
import com.astra.webhooks.store.WebhookStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** Each tenant read once per batch (its webhooks and test-mode flag side by side), holding up no other tenant. */
final class TenantReads {

    /** A tenant's webhooks and test-mode flag, read once per batch (strongly consistent). */
    record TenantView(Map<String, Webhook> webhooks, boolean testMode) {}

    private final WebhookStore webhooks;
    private final TestModeStore testModes;
    private final Executor executor;
    private final Map<String, CompletableFuture<TenantView>> views = new ConcurrentHashMap<>();

    TenantReads(WebhookStore webhooks, TestModeStore testModes, Executor executor) {
        this.webhooks = webhooks;
        this.testModes = testModes;
        this.executor = executor;
    }

    CompletableFuture<TenantView> get(String tenant) {
        return views.computeIfAbsent(tenant, t -> {
            CompletableFuture<Boolean> testMode = CompletableFuture.supplyAsync(() -> testModes.get(t).enabled(), executor);
            return CompletableFuture.supplyAsync(() -> {
                Map<String, Webhook> byId = new LinkedHashMap<>();
                webhooks.listAll(t).forEach(w -> byId.put(w.id(), w));
                return byId;
            }, executor).thenCombine(testMode, TenantView::new);
        });
    }
}
