package com.astra.webhooks.jobs;

/** A message no retry can fix, kept as it came ({@code body}) for the dead-letter queue, with the {@code reason}. */
public record Poison(String body, String reason) implements Job {

    @Override
    public Kind kind() {
        return Kind.POISON;
    }
}
