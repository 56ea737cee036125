package com.astra.webhooks.bench;

import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.dispatch.Envelope;
import com.astra.webhooks.jobs.QueueMessage;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import com.astra.webhooks.wiring.Wiring;
import com.astra.webhooks.worker.Dispatcher;
import com.astra.webhooks.worker.DispatcherWiring;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * What a payload filter costs the dispatcher. Not a test: a main to run by hand, from the
 * repository root:
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.FilterCostBenchmark 1000
 * </pre>
 *
 * <ol>
 *   <li>The filter decision alone: thread CPU per (event, webhook) of the check the dispatcher makes
 *       ({@code subscribesTo} and {@code accepts} on the envelope map) for a webhook without a filter
 *       and one with the 10-clause {@link #FILTER}, on a matching event and on one that fails only
 *       the last clause (so all ten are evaluated). Measured side by side in one run.
 *   <li>The whole dispatcher: an in-process {@link Dispatcher} (built by {@code DispatcherWiring} from the
 *       runner's DispatcherFunction environment, as deployed) delivers N events in batches of 10 to
 *       one webhook of a fresh tenant: without a filter, with the filter and matching events, with the
 *       filter and non-matching events, in interleaved rounds (the order rotates) so that the
 *       machine's load falls on all three alike. Process CPU per event (this JVM: dispatcher and
 *       receiver; dynoxide is a separate process), and DynamoDB write units per event by
 *       operation, as dynoxide reports them ({@link ConsumedCapacityInterceptor}).
 * </ol>
 */
public final class FilterCostBenchmark {

    /** Ten leaf conditions over the envelope, the failing one for non-matching events last. */
    static final String FILTER = """
            {"event": {"$in": ["agent.failed", "agent.completed"]},
             "data.run.status": {"$in": ["failed", "timeout"]},
             "data.run.attempts": {"$gte": 1, "$lte": 10},
             "data.workspace": {"$startsWith": "ws-prod-"},
             "data.agent.id": {"$exists": true},
             "data.agent.version": {"$ne": "0.0.0"},
             "data.cost.usd": {"$lt": 100},
             "data.tags": {"$nin": ["ignore"]},
             "data.region": {"$in": ["eu-west-1", "us-east-1"]}}
            """;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        EventFilter filter = EventFilter.parse(Json.parse(FILTER), "filter");
        if (filter.clauses() != 10) {
            throw new IllegalStateException("the filter has " + filter.clauses() + " clauses");
        }
        decisionAlone(filter);

        Receiver receiver = new Receiver().otherwise(Receiver.Answer.body(204, ""));
        IntSupplier received = receiver::count;
        try (receiver; LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0))) {
            Wiring wiring = new Wiring(Settings.parse(runner.environment("DispatcherFunction")));
            String url = receiver.url("/hook");
            System.out.println();
            int rounds = 5;
            System.out.println("== the dispatcher: " + events + " events per case in batches of 10 to one webhook, "
                    + rounds + " interleaved rounds");
            whole(wiring, runner, url, null, true, Math.min(events, 200), received, false); // warm-up
            whole(wiring, runner, url, filter, false, Math.min(events, 200), received, false);
            String[] names = {"no filter", "filter, matching", "filter, non-matching"};
            double[][] sums = new double[3][3];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 3; k++) {
                    int c = (k + round) % 3; // a different case goes first each round
                    double[] r = whole(wiring, runner, url, c == 0 ? null : filter, c != 2, events / rounds, received,
                            round == 0);
                    for (int i = 0; i < 3; i++) {
                        sums[c][i] += r[i] / rounds;
                    }
                }
            }
            for (int c = 0; c < 3; c++) {
                System.out.printf("RESULT %-21s %7.0f us CPU per event (%.2fx no filter), %.2f WCU per event, %.0f%% delivered%n",
                        names[c], sums[c][0] / 1e3, sums[c][0] / sums[0][0], sums[c][1], sums[c][2] * 100);
            }
        }
    }

    /** ns of thread CPU per decision, none vs the filter, in alternating rounds so load hits both alike. */
    private static void decisionAlone(EventFilter filter) {
        Webhook plain = webhook("bench", "http://127.0.0.1/", null);
        Webhook filtered = webhook("bench", "http://127.0.0.1/", filter);
        Map<String, Object> matching = Envelope.fields(event("bench", true));
        Map<String, Object> failing = Envelope.fields(event("bench", false));
        if (!filtered.accepts(matching) || filtered.accepts(failing)) {
            throw new IllegalStateException("the sample events do not behave as intended");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = 200_000;
        double[] sums = new double[3];
        int sink = 0;
        for (int round = 0; round < 12; round++) {
            Object[][] cases = {{plain, matching}, {filtered, matching}, {filtered, failing}};
            for (int c = 0; c < cases.length; c++) {
                Webhook w = (Webhook) cases[c][0];
                @SuppressWarnings("unchecked")
                Map<String, Object> envelope = (Map<String, Object>) cases[c][1];
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    if (w.subscribesTo("agent.failed") && w.accepts(envelope)) {
                        sink++;
                    }
                }
                long ns = threads.getCurrentThreadCpuTime() - t0;
                if (round >= 2) { // the first rounds warm up the JIT
                    sums[c] += (double) ns / n;
                }
            }
        }
        System.out.println("== the filter decision alone (thread CPU per event and webhook, 10 rounds of "
                + n + ", sink " + sink + ")");
        String[] names = {"no filter", "filter, matching", "filter, non-matching"};
        for (int c = 0; c < 3; c++) {
            System.out.printf("RESULT decision %-21s %6.0f ns (%.1fx no filter)%n", names[c], sums[c] / 10, sums[c] / sums[0]);
        }
    }

    /** {CPU ns per event, WCU per event, share delivered} for one fresh tenant and webhook. */
    private static double[] whole(Wiring wiring, LocalRunner runner, String url, EventFilter filter, boolean matching,
            int events, IntSupplier received, boolean print) {
        String tenant = "bench-" + UUID.randomUUID();
        new DynamoDbWebhookStore(wiring.dynamo(), runner.tableName(), Clock.systemUTC()).create(webhook(tenant, url, filter));
        Dispatcher dispatcher = DispatcherWiring.dispatcher(wiring);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int before = received.getAsInt();
        ConsumedCapacityInterceptor.start();
        long cpu0 = os.getProcessCpuTime();
        for (int sent = 0; sent < events; sent += 10) {
            List<QueueMessage> batch = new ArrayList<>();
            for (int i = sent; i < Math.min(events, sent + 10); i++) {
                Event e = event(tenant, matching);
                batch.add(new QueueMessage("msg-" + i, Json.write(Map.of("event", e.type(), "tenant", tenant,
                        "id", e.id(), "data", e.data())), Map.of(), 1));
            }
            if (!dispatcher.process(batch).isEmpty()) {
                throw new IllegalStateException("a message failed");
            }
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        Map<String, ConsumedCapacityInterceptor.Tally> tallies = ConsumedCapacityInterceptor.stop();
        double wcu = 0;
        StringBuilder writes = new StringBuilder();
        for (var e : tallies.entrySet()) {
            if (ConsumedCapacityInterceptor.isWrite(e.getKey())) {
                double units = e.getValue().total.sum();
                wcu += units;
                writes.append(String.format(" %s %d calls %.1f WCU;", e.getKey(), e.getValue().calls.sum(), units));
            }
        }
        int delivered = received.getAsInt() - before;
        if (print) {
            System.out.printf("  %s%s: %d delivered; writes:%s%n", filter == null ? "no filter" : "filter",
                    filter == null ? "" : matching ? ", matching" : ", non-matching", delivered,
                    writes.length() == 0 ? " none" : writes.toString());
        }
        return new double[] {(double) cpu / events, wcu / events, (double) delivered / events};
    }

    private static Webhook webhook(String tenant, String url, EventFilter filter) {
        Instant now = Instant.now();
        return new Webhook(Ids.newId(Ids.WEBHOOK), tenant, url, List.of(Webhook.ALL_EVENTS), null, true, now, now,
                WebhookSigner.newSecret(), null, Map.of(), null, null, null, null, Signing.HMAC, filter, null);
    }

    /** An agent.failed event of about 400 bytes; a non-matching one differs in its region only. */
    private static Event event(String tenant, boolean matching) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", Map.of("id", "run_" + UUID.randomUUID(), "status", "failed", "attempts", 3,
                "error", "tool call timed out after 30 s"));
        data.put("workspace", "ws-prod-7f3a");
        data.put("agent", Map.of("id", "agent_42", "version", "1.8.2", "name", "invoice-reconciler"));
        data.put("cost", Map.of("usd", 0.042, "tokens", 18211));
        data.put("tags", List.of("billing", "nightly"));
        data.put("region", matching ? "eu-west-1" : "ap-south-1");
        return new Event(Ids.newId(Ids.EVENT), tenant, "agent.failed", Instant.now(), data);
    }
}
