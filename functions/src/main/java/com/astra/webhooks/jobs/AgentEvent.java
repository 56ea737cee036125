package com.astra.webhooks.jobs;

import com.astra.webhooks.model.Event;

/** An agent's event, read and checked ({@link IncomingEvent}), to deliver to the webhooks it is for. */
public record AgentEvent(Event event) implements Job {

    @Override
    public Kind kind() {
        return Kind.EVENT;
    }
}
