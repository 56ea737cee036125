package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Tenants;
import com.astra.webhooks.store.DispatchStore.ClearPosition;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Job} as a queue message and back: the one home of the {@code astra-kind} and
 * {@code astra-lane} attributes and of each job's JSON body. A message without a kind is an
 * agent's event, as agents send them; one that cannot be read becomes {@link Poison} with the
 * reason, never an exception, so a bad message costs one dead-letter and not a batch.
 */
public final class JobCodec {

    /** Message attribute naming the kind of the service's own messages; agents' events carry none. */
    private static final String KIND = "astra-kind";
    private static final String RETRY = "retry";
    private static final String RECOVER = "recover";
    private static final String TEST_LOG_CLEAR = "test-log-clear";
    private static final String SECRET_EXPIRY = "secret-expiry";

    /** Message attribute marking a delivery on the slow lane's queue (see worker.SlowLane). */
    private static final String LANE = "astra-lane";
    private static final String SLOW = "slow";

    /** The dead-letter queue's attribute for why a message is there. */
    private static final String REASON = "reason";

    /** A message as it is sent: its body and its string attributes. */
    public record Encoded(String body, Map<String, String> attributes) {}

    private final EventTypeCatalog catalog;
    private final Clock clock;

    /** Agents' events are checked against {@code catalog}; one without a timestamp gets {@code clock}'s. */
    public JobCodec(EventTypeCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** The job a message carries, or {@link Poison} saying why it cannot be read. */
    public Job decode(QueueMessage message) {
        String kind = message.attributes().get(KIND);
        String body = message.body();
        try {
            if (RETRY.equals(kind)) {
                return retryTask(body);
            }
            if (RECOVER.equals(kind)) {
                return recoveryPage(body);
            }
            if (TEST_LOG_CLEAR.equals(kind)) {
                return testLogClearChunk(body);
            }
            if (SECRET_EXPIRY.equals(kind)) {
                return secretExpiry(body);
            }
            return new AgentEvent(IncomingEvent.parse(body, catalog, clock));
        } catch (PoisonMessageException e) {
            return new Poison(body, e.getMessage());
        }
    }

    /** Whether the message came through the slow lane's queue. */
    public static boolean onSlowLane(QueueMessage message) {
        return SLOW.equals(message.attributes().get(LANE));
    }

    /** {@code job} as a message for the events queue (a {@link Poison}: for the dead-letter queue). */
    public static Encoded encode(Job job) {
        return switch (job.kind()) {
            case EVENT -> new Encoded(agentEvent((AgentEvent) job), Map.of());
            case RETRY -> new Encoded(retryTask((RetryTask) job), Map.of(KIND, RETRY));
            case RECOVER -> new Encoded(recoveryPage((RecoveryPage) job), Map.of(KIND, RECOVER));
            case TEST_LOG_CLEAR -> new Encoded(testLogClearChunk((TestLogClearChunk) job), Map.of(KIND, TEST_LOG_CLEAR));
            case SECRET_EXPIRY -> new Encoded(secretExpiry((SecretExpiry) job), Map.of(KIND, SECRET_EXPIRY));
            case POISON -> poison((Poison) job);
        };
    }

    /** {@code task} as a message for the slow lane's queue. */
    public static Encoded encodeForSlowLane(RetryTask task) {
        return new Encoded(retryTask(task), Map.of(KIND, RETRY, LANE, SLOW));
    }

    // --- bodies, one pair per kind ---------------------------------------------------------------

    private static String agentEvent(AgentEvent job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.event().id());
        m.put("event", job.event().type());
        m.put("tenant", job.event().tenant());
        m.put("timestamp", Timestamps.format(job.event().timestamp()));
        m.put("data", job.event().data());
        return Json.write(m);
    }

    private static Encoded poison(Poison job) {
        // SQS refuses an empty body; the reason says what was wrong with it.
        String body = job.body() == null || job.body().isEmpty() ? "(empty message)" : job.body();
        return new Encoded(body, Map.of(REASON, job.reason()));
    }

    private static String retryTask(RetryTask task) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", task.tenant());
        m.put("eventId", task.eventId());
        m.put("eventType", task.eventType());
        m.put("webhookId", task.webhookId());
        m.put("attempt", task.attempt());
        m.put("dueAt", task.dueAt().toString());
        if (task.previousId() != null) {
            m.put("previousId", task.previousId());
        }
        m.put("trigger", task.trigger().wire());
        if (task.slot() != null) {
            m.put("slot", task.slot().toString());
        }
        if (task.claim() != null) {
            m.put("claim", task.claim());
        }
        if (task.ordering() != null) {
            m.put("orderingKey", task.ordering().key());
            m.put("sequence", task.ordering().sequence());
        }
        return Json.write(m);
    }

    private static RetryTask retryTask(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            return new RetryTask(required(m, "tenant"), required(m, "eventId"), required(m, "eventType"),
                    required(m, "webhookId"), ((Number) m.get("attempt")).intValue(), Instant.parse(required(m, "dueAt")),
                    m.get("previousId") == null ? null : required(m, "previousId"),
                    // Messages queued before triggers existed carry none: they continue an event's chain.
                    m.get("trigger") == null ? Dispatch.Trigger.EVENT : Dispatch.Trigger.fromWire(required(m, "trigger")),
                    m.get("slot") == null ? null : Instant.parse(required(m, "slot")),
                    m.get("claim") == null ? null : required(m, "claim"),
                    m.get("orderingKey") == null ? null : new RetryTask.Ordering(required(m, "orderingKey"),
                            ((Number) m.get("sequence")).longValue()));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("retry message is malformed");
        }
    }

    private static String recoveryPage(RecoveryPage page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", page.tenant());
        m.put("webhookId", page.webhookId());
        m.put("since", page.since().toString());
        m.put("until", page.until().toString());
        m.put("after", page.after());
        return Json.write(m);
    }

    private static RecoveryPage recoveryPage(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            return new RecoveryPage((String) m.get("tenant"), (String) m.get("webhookId"),
                    Instant.parse((String) m.get("since")), Instant.parse((String) m.get("until")), (String) m.get("after"));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("recover message is malformed");
        }
    }

    private static String testLogClearChunk(TestLogClearChunk chunk) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", chunk.tenant());
        m.put("clearedAt", chunk.clearedAt().toString());
        m.put("webhookId", chunk.from().webhookId());
        m.put("after", chunk.from().after());
        return Json.write(m);
    }

    private static TestLogClearChunk testLogClearChunk(String body) throws PoisonMessageException {
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

    private static String secretExpiry(SecretExpiry expiry) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", expiry.tenant());
        m.put("webhookId", expiry.webhookId());
        m.put("dueAt", expiry.dueAt().toString());
        return Json.write(m);
    }

    private static SecretExpiry secretExpiry(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            if (!(m.get("tenant") instanceof String tenant) || !(m.get("webhookId") instanceof String webhookId)
                    || !(m.get("dueAt") instanceof String dueAt)) {
                throw new IllegalArgumentException("missing field");
            }
            return new SecretExpiry(tenant, webhookId, Instant.parse(dueAt));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("secret expiry message is malformed");
        }
    }

    static String required(Map<String, Object> m, String field) {
        if (!(m.get(field) instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return s;
    }

    private static boolean optionalText(Object value) {
        return value == null || value instanceof String s && !s.isEmpty();
    }
}
