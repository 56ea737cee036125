package com.astra.webhooks.worker;

import static com.astra.webhooks.worker.DispatcherFixture.TENANT;
import static com.astra.webhooks.worker.DispatcherFixture.event;
import static com.astra.webhooks.worker.DispatcherFixture.retry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.Webhook;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's use of a webhook's filter and retry schedule, over in-memory stores: a refused
 * event leaves nothing for that webhook, not even the "not sent" record of a disabled one; the
 * schedule is the webhook's as read for each attempt. The fixture's service schedule is 1s,1s.
 */
class DispatcherFilterAndScheduleTest {

    private final DispatcherFixture f = new DispatcherFixture();

    DispatcherFilterAndScheduleTest() throws Exception {}

    @AfterEach
    void close() {
        f.close();
    }

    private Webhook webhook(String path, boolean enabled, String filter, String schedule) throws IOException {
        Webhook w = new Webhook("wh_" + path.substring(1), TENANT, f.webhook(path).url(), List.of(Webhook.ALL_EVENTS),
                null, enabled, f.clock.instant(), f.clock.instant(), WebhookSigner.newSecret(), null, Map.of(), null,
                null, null, null, com.astra.webhooks.model.Signing.HMAC, filter == null ? null : EventFilter.parse(Json.parse(filter), "filter"),
                schedule == null ? null : RetrySchedule.parse(schedule));
        f.webhooks.replace(w); // over the fixture's plain one
        return w;
    }

    /** The task as if its delay were over (the retry's jitter could otherwise send it round the queue again). */
    private RetryTask dueNow(RetryTask t) {
        return new RetryTask(TENANT, t.eventId(), t.eventType(), t.webhookId(), t.attempt(), f.clock.instant(), t.previousId());
    }

    @Test
    void aRefusedEventLeavesNothingForThatWebhookEvenWhenDisabled() throws IOException {
        webhook("/other-type", true, "{\"event\": \"tool.executed\"}", null);
        webhook("/disabled-other-type", false, "{\"event\": \"tool.executed\"}", null);
        webhook("/disabled", false, null, null);
        webhook("/all", true, "{\"data\": {\"$exists\": true}}", null);
        assertEquals(Set.of(), f.process(event("evt_f1", 1)));
        assertEquals(List.of("/all evt_f1"), f.posts);
        assertEquals(Set.of("wh_all", "wh_disabled"), Set.copyOf(f.dispatches.all().stream().map(d -> d.webhookId()).toList()),
                "the unfiltered disabled webhook gets its not-sent record; the refusing ones get nothing");
    }

    @Test
    void theScheduleIsTheWebhooksAsReadForEachAttempt() throws IOException {
        webhook("/down", true, null, "1s,1s,1s");
        f.answers.put("/down", 500);
        f.process(event("evt_s1", 1));
        assertEquals(List.of(2), f.retries.stream().map(RetryTask::attempt).toList());

        f.process(retry(dueNow(f.retries.get(0))));
        assertEquals(List.of(2, 3), f.retries.stream().map(RetryTask::attempt).toList(), "its own 3 delays, not the service's 2");

        webhook("/down", true, null, "1s,1s"); // shortened while attempt 3 waits
        f.process(retry(dueNow(f.retries.get(1))));
        assertEquals(2, f.retries.size(), "attempt 3 was the last under the schedule read for it");
        assertEquals(3, f.dispatches.all().size());
    }
}
