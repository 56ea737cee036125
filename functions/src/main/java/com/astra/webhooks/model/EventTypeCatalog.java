package com.astra.webhooks.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The event types a webhook may subscribe to; {@code EVENT_TYPES} (comma-separated) replaces the default. */
public final class EventTypeCatalog {

    public static final List<String> DEFAULT = List.of("agent_completed", "tool.executed", "memory.written",
            "agent.completed", "agent.failed", "approval.requested", "memory.propagated", "heartbeat.fired",
            "swarm.finished");

    /** Sent by POST /webhooks/{id}/test; every webhook receives it whatever it subscribes to. */
    public static final String TEST_EVENT = "webhook.test";

    /** The service's own event when it disables a webhook; in every catalog, so webhooks can subscribe to it. */
    public static final String DISABLED_EVENT = "webhook.disabled";

    private final Set<String> names;

    public EventTypeCatalog(List<String> names) {
        Set<String> all = new LinkedHashSet<>(names);
        all.add(DISABLED_EVENT);
        this.names = Collections.unmodifiableSet(all);
    }

    public static EventTypeCatalog parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return new EventTypeCatalog(DEFAULT);
        }
        List<String> list = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            if (!s.isBlank()) {
                list.add(s.trim());
            }
        }
        return new EventTypeCatalog(list);
    }

    public boolean contains(String name) {
        return names.contains(name);
    }

    public List<String> names() {
        return List.copyOf(names);
    }
}
