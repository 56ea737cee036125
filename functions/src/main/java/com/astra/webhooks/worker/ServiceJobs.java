package com.astra.webhooks.worker;

import com.astra.webhooks.jobs.Recovery;
import com.astra.webhooks.jobs.TestLogClear;

/**
 * The handlers of the service's own jobs on the events queue other than retries: the next page
 * of a recover, the next chunk of a test-mode log clear, a rotated-out secret to erase.
 */
record ServiceJobs(Recovery recovery, TestLogClear testLogClear, SecretErasure secretErasure) {}
