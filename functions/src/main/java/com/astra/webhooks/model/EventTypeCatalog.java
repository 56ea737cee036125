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

    /**
     * What the default catalog's events mean, for people picking them (the console shows these);
     * a name an operator adds with {@code EVENT_TYPES} has none.
     */
    private static final java.util.Map<String, String> DESCRIPTIONS = java.util.Map.of(
            "agent_completed", "An agent finished a run (the original name; agent.completed is the newer one).",
            "tool.executed", "An agent called a tool and it returned.",
            "memory.written", "An agent wrote to its memory.",
            "agent.completed", "An agent finished a run.",
            "agent.failed", "An agent's run ended in an error.",
            "approval.requested", "An agent is waiting for a person to approve a step.",
            "memory.propagated", "A memory write reached the agents that share it.",
            "heartbeat.fired", "A scheduled heartbeat ran.",
            "swarm.finished", "A swarm of agents finished its work.",
            DISABLED_EVENT, "This service disabled one of your webhooks (its data says which, and why).");

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

    /** What the event means, or null when the catalog does not say. */
    public String description(String name) {
        return DESCRIPTIONS.get(name);
    }

    public List<String> names() {
        return List.copyOf(names);
    }
}
