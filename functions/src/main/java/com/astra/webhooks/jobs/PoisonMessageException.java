package com.astra.webhooks.jobs;

/** A message no retry can fix: it goes to the dead-letter queue with this reason. */
public class PoisonMessageException extends Exception {
    public PoisonMessageException(String reason) {
        super(reason);
    }
}
