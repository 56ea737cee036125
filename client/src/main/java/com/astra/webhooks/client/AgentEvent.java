package com.astra.webhooks.client;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event as an agent publishes it. {@code id} is the idempotency key: publishing the same id
 * twice delivers it once per webhook. Leave it null and {@link AstraEvents} makes one
 * ({@code evt_} and a ULID) and hands it back, so a caller that retries can reuse it.
 */
public record AgentEvent(String tenant, String type, Map<String, ?> data, String id, Instant timestamp) {

    public AgentEvent {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        data = data == null ? Map.of() : data;
    }

    public static AgentEvent of(String tenant, String type, Map<String, ?> data) {
        return new AgentEvent(tenant, type, data, null, null);
    }

    public AgentEvent withId(String newId) {
        return new AgentEvent(tenant, type, data, newId, timestamp);
    }
}
