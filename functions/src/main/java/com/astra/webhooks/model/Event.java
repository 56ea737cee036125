package com.astra.webhooks.model;

import java.time.Instant;
import java.util.Map;

/** An event as an agent pushed it, normalised: id and timestamp filled in when absent. */
public record Event(String id, String tenant, String type, Instant timestamp, Map<String, Object> data) {}
