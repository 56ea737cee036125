package com.astra.webhooks.worker;

import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.jobs.AgentEvent;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Endpoint health (DESIGN.md "Recovery and endpoint health"): a webhook whose deliveries have
 * all failed for {@code disableAfter}, with at least {@link #MIN_FINAL_FAILURES} final failures,
 * is disabled; a 410 disables it at once. Either way the tenant's stream gets a
 * {@code webhook.disabled} event, queued like an agent's event, so the tenant's other webhooks
 * that subscribe to it hear of it (the disabled one, being disabled, does not).
 *
 * <p>Costs nothing on a healthy webhook: the "failing since" mark is written on a final failure
 * only, and removed on a success only when the webhook read for the batch carries it.
 */
public final class AutoDisable {

    public static final int MIN_FINAL_FAILURES = 3;

    private final WebhookStore webhooks;
    private final Queues queues;
    private final Duration disableAfter;
    private final Clock clock;

    public AutoDisable(WebhookStore webhooks, Queues queues, Duration disableAfter, Clock clock) {
        this.webhooks = webhooks;
        this.queues = queues;
        this.disableAfter = disableAfter;
        this.clock = clock;
    }

    /** After an attempt was recorded: a success ends a failing run, a final failure extends it. */
    public void recorded(Webhook webhook, Dispatch dispatch) {
        if (dispatch.outcome() == Dispatch.Outcome.DELIVERED) {
            if (webhook.failingSince() != null) {
                webhooks.clearFailing(webhook.tenant(), webhook.id());
            }
        } else if (dispatch.outcome() == Dispatch.Outcome.FAILED && dispatch.nextAttemptAt() == null) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            webhooks.markFailing(webhook.tenant(), webhook.id(), now).ifPresent(run -> {
                if (run.finalFailures() >= MIN_FINAL_FAILURES && !run.since().plus(disableAfter).isAfter(now)) {
                    disable(webhook, "failing since " + Timestamps.format(run.since()));
                }
            });
        }
    }

    /** The receiver answered 410 Gone. */
    public void gone(Webhook webhook) {
        disable(webhook, Webhook.GONE_REASON);
    }

    private void disable(Webhook webhook, String reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // Only the write that turned it off announces it: a webhook is announced once per disabling.
        if (webhooks.disable(webhook.tenant(), webhook.id(), reason, now)) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("webhookId", webhook.id());
            data.put("url", webhook.url());
            data.put("reason", reason);
            Event event = new Event("evt_disabled_" + webhook.id() + "_" + now.toEpochMilli(), webhook.tenant(),
                    EventTypeCatalog.DISABLED_EVENT, now, data);
            queues.publish(JobCodec.encode(new AgentEvent(event)).body());
        }
    }
}
