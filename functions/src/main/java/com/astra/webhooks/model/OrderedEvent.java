package com.astra.webhooks.model;

/** An event with an ordering key, as it came off the FIFO events queue. */
public record OrderedEvent(Event event, String orderingKey) {}
