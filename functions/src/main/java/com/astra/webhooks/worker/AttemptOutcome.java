package com.astra.webhooks.worker;

import com.astra.webhooks.core.retry.RetryAfter;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.model.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What a finished attempt means for the webhook: a 410 asks us to stop (the webhook is
 * disabled); any other failure gets the next attempt of the webhook's schedule, later if the
 * receiver's Retry-After asks for it and its status allows it; the recorded outcome feeds
 * endpoint health (auto-disable).
 */
final class AttemptOutcome {

    /** The attempt as it is to be recorded, and whether the receiver answered 410 Gone. */
    record Judged(Dispatch dispatch, boolean gone) {}

    private final RetrySchedule schedule;
    private final AutoDisable autoDisable;
    private final Clock clock;

    AttemptOutcome(RetrySchedule schedule, AutoDisable autoDisable, Clock clock) {
        this.schedule = schedule;
        this.autoDisable = autoDisable;
        this.clock = clock;
    }

    Judged judge(Webhook webhook, Sender.Sent sent, int attempt, Dispatch.Trigger trigger) {
        Dispatch dispatch = sent.dispatch().withTrigger(trigger);
        if (dispatch.outcome() != Dispatch.Outcome.FAILED) {
            return new Judged(dispatch, false);
        }
        if (Integer.valueOf(410).equals(dispatch.statusCode())) {
            return new Judged(dispatch, true); // the receiver asked us to stop
        }
        // the webhook as read for this attempt: a schedule changed since applies from now on
        Optional<Duration> delay = webhook.retryScheduleOr(schedule).delayAfterAttempt(attempt);
        if (delay.isEmpty()) {
            return new Judged(dispatch, false);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Duration wait = RetryAfter.honouredFor(dispatch.statusCode())
                ? RetryAfter.apply(delay.get(), RetryAfter.parse(sent.retryAfter(), now)) : delay.get();
        return new Judged(withNextAttempt(dispatch, now.plus(wait)), false);
    }

    /** After the attempt's record is written: endpoint health counts it. */
    void recorded(Webhook webhook, Judged judged) {
        if (judged.gone()) {
            autoDisable.gone(webhook);
        } else {
            autoDisable.recorded(webhook, judged.dispatch());
        }
    }

    private static Dispatch withNextAttempt(Dispatch d, Instant next) {
        return new Dispatch(d.id(), d.tenant(), d.webhookId(), d.eventId(), d.eventType(), d.url(), d.attempt(),
                d.outcome(), d.statusCode(), d.responseBody(), d.latencyMs(), d.error(), d.requestHeaders(),
                d.payload(), d.createdAt(), next, d.trigger());
    }
}
