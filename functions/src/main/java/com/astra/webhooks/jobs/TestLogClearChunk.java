package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.model.Tenants;
import com.astra.webhooks.store.DispatchStore.ClearPosition;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rest of a clear of the test-mode log still to delete: the tenant's entries intercepted up
 * to {@code clearedAt}, from {@code from} on. Carried on the events queue so that a log of any
 * size is deleted one bounded chunk per message.
 */
public record TestLogClearChunk(String tenant, Instant clearedAt, ClearPosition from) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("clearedAt", clearedAt.toString());
        m.put("webhookId", from.webhookId());
        m.put("after", from.after());
        return Json.write(m);
    }

    public static TestLogClearChunk fromJson(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            if (!(m.get("tenant") instanceof String tenant) || !Tenants.isValid(tenant)
                    || !(m.get("clearedAt") instanceof String clearedAt)
                    || !optionalText(m.get("webhookId")) || !optionalText(m.get("after"))) {
                throw new IllegalArgumentException("missing or wrong field");
            }
            return new TestLogClearChunk(tenant, Instant.parse(clearedAt),
                    new ClearPosition((String) m.get("webhookId"), (String) m.get("after")));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("test-mode log clear message is malformed");
        }
    }

    private static boolean optionalText(Object value) {
        return value == null || value instanceof String s && !s.isEmpty();
    }
}
