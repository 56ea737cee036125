package com.astra.webhooks.testing;

import com.astra.webhooks.jobs.Queues;
import com.astra.webhooks.jobs.RecoveryPage;
import com.astra.webhooks.jobs.RetryTask;
import com.astra.webhooks.jobs.TestLogClearChunk;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Queues that keep what is sent to them, for unit tests of their callers. */
public final class RecordingQueues implements Queues {

    public final List<RetryTask> retries = new CopyOnWriteArrayList<>();
    public final List<RecoveryPage> pages = new CopyOnWriteArrayList<>();
    public final List<TestLogClearChunk> clears = new CopyOnWriteArrayList<>();
    public final List<String> published = new CopyOnWriteArrayList<>();
    public final List<String> deadLettered = new CopyOnWriteArrayList<>();

    @Override
    public void scheduleRetry(RetryTask task, int delaySeconds) {
        retries.add(task);
    }

    @Override
    public void queueAll(List<RetryTask> tasks, int delaySeconds) {
        retries.addAll(tasks);
    }

    @Override
    public void continueRecovery(RecoveryPage page) {
        pages.add(page);
    }

    @Override
    public void continueTestLogClear(TestLogClearChunk chunk) {
        clears.add(chunk);
    }

    @Override
    public void publish(String message) {
        published.add(message);
    }

    @Override
    public void deadLetter(String body, String reason) {
        deadLettered.add(reason);
    }
}
