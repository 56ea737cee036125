package com.astra.webhooks.queue;

import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.SecretExpiry;
import com.astra.webhooks.webhook.SecretExpiries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Secret expiries as delayed messages on the events queue, which the dispatcher consumes. A
 * grace period longer than SQS's 15-minute delay cap takes several hops (a day: 96 messages).
 * The client is asked for on the first schedule: the API function, which rotates rarely, does
 * not build an SQS client at start (cold start).
 */
public final class SqsSecretExpiries implements SecretExpiries {

    private final Supplier<SqsClient> sqs;
    private final String eventsQueueUrl;
    private final Clock clock;

    public SqsSecretExpiries(Supplier<SqsClient> sqs, String eventsQueueUrl, Clock clock) {
        this.sqs = sqs;
        this.eventsQueueUrl = eventsQueueUrl;
        this.clock = clock;
    }

    @Override
    public void schedule(String tenant, String webhookId, Instant expiresAt) {
        int delay = RetrySchedule.sqsDelaySeconds(Duration.between(clock.instant(), expiresAt));
        JobCodec.Encoded message = JobCodec.encode(new SecretExpiry(tenant, webhookId, expiresAt));
        sqs.get().sendMessage(b -> b.queueUrl(eventsQueueUrl)
                .messageBody(message.body())
                .delaySeconds(delay)
                .messageAttributes(SqsQueues.attributes(message)));
    }
}
