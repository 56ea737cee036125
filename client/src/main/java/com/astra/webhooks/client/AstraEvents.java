package com.astra.webhooks.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Publishes agents' events onto the Astra events queue (DESIGN.md "Events in"):
 *
 * <pre>{@code
 * AstraEvents events = AstraEvents.builder().queueUrl(queueUrl).build();
 * String id = events.publish("t-123", "agent_completed", Map.of("runId", "run_42"));
 * }</pre>
 *
 * Events that must reach each receiver in order go to the FIFO events queue with an ordering key
 * (docs/ordered-delivery.md): every event of one key is delivered to a webhook only after the
 * previous one was delivered there or failed for good.
 *
 * <pre>{@code
 * AstraEvents events = AstraEvents.builder().queueUrl(queueUrl).orderedQueueUrl(fifoQueueUrl).build();
 * events.publishOrdered("run_42", AgentEvent.of("t-123", "tool.executed", Map.of("step", 1)));
 * }</pre>
 *
 * Everything the dispatcher would refuse is refused here first, before any network call, with an
 * {@link IllegalArgumentException} that says why: a tenant it cannot store, an event type
 * outside the catalog, an id of the wrong shape, a message over SQS's 256 KiB. Every event gets
 * an id before it is sent, so a caller that retries after a timeout republishes the same id and
 * the event is still delivered once per webhook. Thread-safe; build one per process.
 */
public final class AstraEvents {

    /** SQS's limit for one message, and for all the messages of one SendMessageBatch together. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** SQS's limit of entries per SendMessageBatch. */
    public static final int MAX_BATCH_ENTRIES = 10;
    /** The service's default catalog (DESIGN.md); {@code EVENT_TYPES} on the service changes it. */
    public static final Set<String> DEFAULT_EVENT_TYPES = Set.of("agent_completed", "tool.executed", "memory.written",
            "agent.completed", "agent.failed", "approval.requested", "memory.propagated", "heartbeat.fired",
            "swarm.finished");

    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");
    /** The service's rule for an ordering key, which is also SQS's for a MessageGroupId. */
    private static final Pattern ORDERING_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private final SqsClient sqs;
    private final String queueUrl;
    private final String orderedQueueUrl;
    private final Set<String> eventTypes;

    private AstraEvents(Builder b) {
        this.queueUrl = Objects.requireNonNull(b.queueUrl, "queueUrl");
        this.orderedQueueUrl = b.orderedQueueUrl;
        this.sqs = b.sqs != null ? b.sqs : SqsClient.create();
        this.eventTypes = Set.copyOf(b.eventTypes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Publishes one event and returns its id (the {@code webhook-id} receivers will see). */
    public String publish(String tenant, String type, Map<String, ?> data) {
        return publish(AgentEvent.of(tenant, type, data));
    }

    /** Publishes one event, keeping its id when it has one, and returns the id. */
    public String publish(AgentEvent event) {
        AgentEvent withId = identified(event);
        String body = body(withId);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        return withId.id();
    }

    /**
     * Publishes one event for ordered delivery under {@code orderingKey} (1-128 printable ASCII
     * characters, e.g. the agent run's id) and returns its id. It goes to the FIFO events queue
     * with the key as MessageGroupId and the id as MessageDeduplicationId, so a retried publish
     * within SQS's five minutes is taken once, and later ones are delivered once per webhook.
     * Call it from one thread per key: the order is the order SQS accepts the sends in.
     */
    public String publishOrdered(String orderingKey, AgentEvent event) {
        if (orderedQueueUrl == null) {
            throw new IllegalStateException("no orderedQueueUrl: set the stack's EventsFifoQueueUrl output on the builder");
        }
        if (orderingKey == null || !ORDERING_KEY.matcher(orderingKey).matches()) {
            throw new IllegalArgumentException("orderingKey must be 1-128 printable ASCII characters");
        }
        AgentEvent withId = identified(event);
        String body = body(withId, orderingKey);
        sqs.sendMessage(b -> b.queueUrl(orderedQueueUrl).messageBody(body)
                .messageGroupId(orderingKey).messageDeduplicationId(withId.id()));
        return withId.id();
    }

    /**
     * Publishes many events with as few SendMessageBatch calls as SQS's limits allow (10 entries
     * and 256 KiB a call) and returns their ids in the order given. All are checked before the
     * first is sent. If SQS refuses some, or a call fails, a {@link PublishException} lists which
     * were published and which were not.
     */
    public List<String> publishAll(List<AgentEvent> events) {
        List<AgentEvent> ready = new ArrayList<>(events.size());
        List<String> bodies = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                AgentEvent e = identified(events.get(i));
                ready.add(e);
                bodies.add(body(e));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("event " + i + ": " + e.getMessage(), e);
            }
        }
        List<AgentEvent> published = new ArrayList<>();
        List<PublishException.Failure> failed = new ArrayList<>();
        Throwable cause = null;
        int start = 0;
        while (start < ready.size()) {
            int end = start;
            int bytes = 0;
            while (end < ready.size() && end - start < MAX_BATCH_ENTRIES
                    && bytes + utf8Length(bodies.get(end)) <= MAX_MESSAGE_BYTES) {
                bytes += utf8Length(bodies.get(end));
                end++;
            }
            Map<String, AgentEvent> byEntry = new LinkedHashMap<>();
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = start; i < end; i++) {
                String entryId = Integer.toString(i);
                byEntry.put(entryId, ready.get(i));
                entries.add(SendMessageBatchRequestEntry.builder().id(entryId).messageBody(bodies.get(i)).build());
            }
            try {
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                response.successful().forEach(ok -> published.add(byEntry.get(ok.id())));
                for (BatchResultErrorEntry err : response.failed()) {
                    failed.add(new PublishException.Failure(byEntry.get(err.id()), err.code(), err.message(),
                            Boolean.TRUE.equals(err.senderFault())));
                }
            } catch (SdkException e) {
                // The call as a whole failed: SQS may or may not have taken these; their ids make a retry safe.
                cause = cause == null ? e : cause;
                byEntry.values().forEach(ev -> failed.add(
                        new PublishException.Failure(ev, e.getClass().getSimpleName(), e.getMessage(), false)));
            }
            start = end;
        }
        if (!failed.isEmpty()) {
            throw new PublishException(published, failed, cause);
        }
        return ready.stream().map(AgentEvent::id).toList();
    }

    private static AgentEvent identified(AgentEvent event) {
        return event.id() == null ? event.withId(EventIds.newId()) : event;
    }

    /** The message the dispatcher reads, after the checks it would otherwise fail. */
    String body(AgentEvent e) {
        return body(e, null);
    }

    private String body(AgentEvent e, String orderingKey) {
        if (!validTenant(e.tenant())) {
            throw new IllegalArgumentException("tenant must be 1-256 characters without '#' or control characters");
        }
        if (!eventTypes.contains(e.type())) {
            throw new IllegalArgumentException("unknown event type \"" + e.type() + "\"; the catalog is " + eventTypes);
        }
        if (!EVENT_ID.matcher(e.id()).matches()) {
            throw new IllegalArgumentException("id must be 1-128 characters of A-Z a-z 0-9 _ . : -");
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", e.id());
        message.put("event", e.type());
        message.put("tenant", e.tenant());
        if (e.timestamp() != null) {
            message.put("timestamp", e.timestamp().toString());
        }
        message.put("data", e.data());
        if (orderingKey != null) {
            message.put("orderingKey", orderingKey);
        }
        String body = JsonText.write(message);
        int size = utf8Length(body);
        if (size > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("event " + e.id() + " is " + size + " bytes as JSON; SQS takes at most "
                    + MAX_MESSAGE_BYTES);
        }
        return body;
    }

    private static boolean validTenant(String tenant) {
        return !tenant.isBlank() && tenant.length() <= 256 && tenant.indexOf('#') < 0
                && tenant.chars().noneMatch(Character::isISOControl);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    public static final class Builder {
        private String queueUrl;
        private String orderedQueueUrl;
        private SqsClient sqs;
        private Set<String> eventTypes = DEFAULT_EVENT_TYPES;

        private Builder() {
        }

        /** The events queue's URL (the stack's {@code EventsQueueUrl} output). Required. */
        public Builder queueUrl(String queueUrl) {
            this.queueUrl = queueUrl;
            return this;
        }

        /** The FIFO events queue's URL (the stack's {@code EventsFifoQueueUrl} output), for {@link #publishOrdered}. */
        public Builder orderedQueueUrl(String orderedQueueUrl) {
            this.orderedQueueUrl = orderedQueueUrl;
            return this;
        }

        /** The SQS client to send with; by default {@code SqsClient.create()} (region and credentials from the environment). */
        public Builder sqsClient(SqsClient sqs) {
            this.sqs = sqs;
            return this;
        }

        /** The service's event type catalog, when its {@code EVENT_TYPES} differs from the default. */
        public Builder eventTypes(Set<String> eventTypes) {
            this.eventTypes = Objects.requireNonNull(eventTypes, "eventTypes");
            return this;
        }

        public AstraEvents build() {
            return new AstraEvents(this);
        }
    }
}
