package com.astra.webhooks.client;

import java.util.List;

/**
 * Some events of a {@link AstraEvents#publishAll} call were not accepted by SQS. The others
 * were: they will be delivered and must not be published again under new ids. Retry the
 * {@link #failed()} ones with the same events (they keep their ids, so a retry of an event that
 * did get through after all is delivered once).
 */
public final class PublishException extends RuntimeException {

    /** An event SQS did not take, and why (SQS's error code and message, or the call's exception). */
    public record Failure(AgentEvent event, String code, String message, boolean senderFault) {
    }

    private final List<AgentEvent> published;
    private final List<Failure> failed;

    PublishException(List<AgentEvent> published, List<Failure> failed, Throwable cause) {
        super(failed.size() + " of " + (published.size() + failed.size()) + " events were not published; first: "
                + failed.get(0).code() + ": " + failed.get(0).message(), cause);
        this.published = List.copyOf(published);
        this.failed = List.copyOf(failed);
    }

    /** The events that were accepted, with their ids. */
    public List<AgentEvent> published() {
        return published;
    }

    public List<Failure> failed() {
        return failed;
    }
}
