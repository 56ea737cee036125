package com.astra.webhooks.store.contract;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Webhooks and attempts as the contracts write them: times to the millisecond, recent (DynamoDB's TTL must not take them). */
final class Samples {
    private Samples() {}

    /** An hour ago: the attempts of a contract test are made in the minutes after it. */
    static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(3600);

    static Webhook webhook(String tenant) {
        return new Webhook(Ids.newId(Ids.WEBHOOK), tenant, "https://example.com/hook", List.of(Webhook.ALL_EVENTS), null,
                true, BASE, BASE, "whsec_sample");
    }

    /** An attempt on {@code w} made {@code minute} minutes after {@link #BASE}. */
    static Dispatch attempt(Webhook w, int minute, Dispatch.Outcome outcome, String eventType, Instant nextAttemptAt) {
        Instant at = BASE.plusSeconds(60L * minute);
        String eventId = "evt_" + w.id() + "_" + minute;
        return new Dispatch(Ids.dispatchId(at, w.tenant(), eventId, w.id(), "1"), w.tenant(), w.id(), eventId, eventType,
                w.url(), 1, outcome, outcome == Dispatch.Outcome.INTERCEPTED ? null : outcome == Dispatch.Outcome.FAILED ? 500 : 200,
                outcome == Dispatch.Outcome.FAILED ? "down" : "ok", 12 + minute,
                outcome == Dispatch.Outcome.FAILED ? "HTTP 500" : null, Map.of("webhook-id", eventId), null, at,
                nextAttemptAt, Dispatch.Trigger.EVENT);
    }

    static Dispatch attempt(Webhook w, int minute, Dispatch.Outcome outcome) {
        return attempt(w, minute, outcome, "agent_completed", null);
    }

    static Instant minute(int minute) {
        return BASE.plusSeconds(60L * minute);
    }
}
