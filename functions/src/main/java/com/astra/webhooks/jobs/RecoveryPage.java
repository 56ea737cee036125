package com.astra.webhooks.jobs;

import java.time.Instant;

/**
 * The rest of a recover still to do: the webhook's final failures in [{@code since},
 * {@code until}] after the dispatch id {@code after}. Carried on the events queue so that a
 * window of any size is worked through one bounded page per message.
 */
public record RecoveryPage(String tenant, String webhookId, Instant since, Instant until, String after) implements Job {

    @Override
    public Kind kind() {
        return Kind.RECOVER;
    }
}
