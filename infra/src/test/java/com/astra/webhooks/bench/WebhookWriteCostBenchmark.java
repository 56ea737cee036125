package com.astra.webhooks.bench;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Ids;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.local.LocalRunner;
import com.astra.webhooks.local.RunnerOptions;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.dynamodb.DynamoDbWebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What creating and deleting a webhook costs in DynamoDB capacity, as dynoxide reports it
 * ({@link ConsumedCapacityInterceptor}), through the store the API uses. Not a test: a main to
 * run by hand, from the repository root:
 *
 * <pre>
 * mvn -q -o -Dskip.npm -DskipTests -pl functions,infra -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp infra/target/test-classes:infra/target/classes:$(cat infra/target/test-classpath.txt) \
 *     com.astra.webhooks.bench.WebhookWriteCostBenchmark 20
 * </pre>
 *
 * For a fresh tenant: its first create alone, then N more creates, N deletes, and a delete of an
 * id that does not exist; every DynamoDB call of each step, per webhook.
 */
public final class WebhookWriteCostBenchmark {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0))) {
            DynamoDbClient dynamo = AwsClients.dynamoDb(Settings.parse(Map.of(
                    Settings.AWS_ENDPOINT_URL_DYNAMODB, runner.dynamoEndpoint(), Settings.AWS_REGION, "us-east-1")));
            DynamoDbWebhookStore store = new DynamoDbWebhookStore(dynamo, runner.tableName(), Clock.systemUTC());
            String tenant = "bench-" + UUID.randomUUID();
            List<String> ids = new ArrayList<>();

            ConsumedCapacityInterceptor.start();
            ids.add(create(store, tenant));
            report("first create of a tenant", 1, ConsumedCapacityInterceptor.stop());

            ConsumedCapacityInterceptor.start();
            for (int i = 0; i < n; i++) {
                ids.add(create(store, tenant));
            }
            report("create", n, ConsumedCapacityInterceptor.stop());

            ConsumedCapacityInterceptor.start();
            for (String id : ids.subList(1, n + 1)) {
                if (!store.delete(tenant, id)) {
                    throw new IllegalStateException("not deleted: " + id);
                }
            }
            report("delete", n, ConsumedCapacityInterceptor.stop());

            ConsumedCapacityInterceptor.start();
            if (store.delete(tenant, Ids.newId(Ids.WEBHOOK))) {
                throw new IllegalStateException("deleted a webhook that never existed");
            }
            report("delete of an unknown id", 1, ConsumedCapacityInterceptor.stop());
            dynamo.close();
        }
    }

    private static String create(DynamoDbWebhookStore store, String tenant) {
        String id = Ids.newId(Ids.WEBHOOK);
        Instant now = Instant.now();
        store.create(new Webhook(id, tenant, "https://example.com/hooks/" + id, List.of(Webhook.ALL_EVENTS),
                "a typical webhook", true, now, now, WebhookSigner.newSecret()));
        return id;
    }

    private static void report(String step, int count, Map<String, ConsumedCapacityInterceptor.Tally> tallies) {
        double wcu = 0;
        double rcu = 0;
        StringBuilder calls = new StringBuilder();
        for (var e : tallies.entrySet()) {
            var t = e.getValue();
            if (ConsumedCapacityInterceptor.isWrite(e.getKey())) {
                wcu += t.total.sum();
            } else {
                rcu += t.total.sum();
            }
            calls.append(String.format(" %s x%.2f (failed %d)", e.getKey(), t.calls.sum() / (double) count, t.failures.sum()));
        }
        System.out.printf("RESULT %-26s %.2f WCU + %.2f RCU per webhook;%s%n", step, wcu / count, rcu / count, calls);
    }
}
