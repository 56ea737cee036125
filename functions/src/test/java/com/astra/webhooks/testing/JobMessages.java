package com.astra.webhooks.testing;

import com.astra.webhooks.jobs.Job;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.model.EventTypeCatalog;
import java.time.Clock;

/** Jobs as the queue hands them to the dispatcher, made by the production codec. */
public final class JobMessages {
    private JobMessages() {}

    public static final JobCodec CODEC = new JobCodec(new EventTypeCatalog(EventTypeCatalog.DEFAULT), Clock.systemUTC());

    /** {@code job} as a first delivery of message {@code messageId} on the events queue. */
    public static QueueMessage message(String messageId, Job job) {
        return message(messageId, JobCodec.encode(job));
    }

    /** {@code task} as the slow lane's event source hands it over. */
    public static QueueMessage onSlowLane(String messageId, RetryTask task) {
        return message(messageId, JobCodec.encodeForSlowLane(task));
    }

    /** {@code job} after a trip through the queue. */
    public static Job roundTrip(Job job) {
        return CODEC.decode(message("m-1", job));
    }

    private static QueueMessage message(String messageId, JobCodec.Encoded encoded) {
        return new QueueMessage(messageId, encoded.body(), encoded.attributes(), 1);
    }
}
