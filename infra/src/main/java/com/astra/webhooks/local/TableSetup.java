package com.astra.webhooks.local;

import static com.astra.webhooks.local.TemplateModel.list;
import static com.astra.webhooks.local.TemplateModel.map;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Creates the template's table (keys, indexes, billing, TTL) unless it already exists. */
final class TableSetup {

    private TableSetup() {}

    /** @return true if the table was created, false if it was already there */
    static boolean ensure(DynamoDbClient dynamo, TemplateModel template, String tableResource, String tableName) {
        if (exists(dynamo, tableName)) {
            return false;
        }
        Map<String, Object> p = template.properties(tableResource);
        var request = CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(list(p.get("AttributeDefinitions")).stream().map(o -> {
                    Map<String, Object> a = map(o);
                    return AttributeDefinition.builder().attributeName(str(a.get("AttributeName")))
                            .attributeType(str(a.get("AttributeType"))).build();
                }).toList())
                .keySchema(keySchema(p.get("KeySchema")));
        String billing = str(template.resolve(p.getOrDefault("BillingMode", "PROVISIONED")));
        request.billingMode(billing);
        if (!"PAY_PER_REQUEST".equals(billing)) {
            request.provisionedThroughput(throughput(template, p.get("ProvisionedThroughput")));
        }
        List<GlobalSecondaryIndex> gsis = list(p.get("GlobalSecondaryIndexes")).stream().map(o -> {
            Map<String, Object> g = map(o);
            Map<String, Object> proj = map(g.get("Projection"));
            var index = GlobalSecondaryIndex.builder()
                    .indexName(str(g.get("IndexName")))
                    .keySchema(keySchema(g.get("KeySchema")))
                    .projection(Projection.builder()
                            .projectionType(str(proj.getOrDefault("ProjectionType", "ALL")))
                            .nonKeyAttributes(proj.containsKey("NonKeyAttributes")
                                    ? list(proj.get("NonKeyAttributes")).stream().map(String::valueOf).toList()
                                    : null)
                            .build());
            if (!"PAY_PER_REQUEST".equals(billing)) {
                index.provisionedThroughput(throughput(template, g.get("ProvisionedThroughput")));
            }
            return index.build();
        }).toList();
        if (!gsis.isEmpty()) {
            request.globalSecondaryIndexes(gsis);
        }
        dynamo.createTable(request.build());
        waitUntilActive(dynamo, tableName);
        enableTtl(dynamo, tableName, map(p.get("TimeToLiveSpecification")));
        return true;
    }

    private static boolean exists(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.describeTable(b -> b.tableName(tableName));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private static void waitUntilActive(DynamoDbClient dynamo, String tableName) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (dynamo.describeTable(b -> b.tableName(tableName)).table().tableStatus() != TableStatus.ACTIVE) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("table " + tableName + " did not become ACTIVE");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** TTL only matters for retention; an emulator that does not support it must not stop the runner. */
    private static void enableTtl(DynamoDbClient dynamo, String tableName, Map<String, Object> ttl) {
        if (ttl.isEmpty() || !Boolean.parseBoolean(String.valueOf(ttl.getOrDefault("Enabled", "false")))) {
            return;
        }
        try {
            dynamo.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(
                    s -> s.attributeName(str(ttl.get("AttributeName"))).enabled(true)));
        } catch (SdkException e) {
            System.err.println("[astra-local] TTL not enabled on " + tableName + ": " + e.getMessage());
        }
    }

    private static List<KeySchemaElement> keySchema(Object o) {
        return list(o).stream().map(k -> {
            Map<String, Object> m = map(k);
            return KeySchemaElement.builder().attributeName(str(m.get("AttributeName")))
                    .keyType(str(m.get("KeyType"))).build();
        }).toList();
    }

    private static ProvisionedThroughput throughput(TemplateModel template, Object o) {
        Map<String, Object> t = map(o);
        return ProvisionedThroughput.builder()
                .readCapacityUnits((long) template.intValue(t.getOrDefault("ReadCapacityUnits", 5)))
                .writeCapacityUnits((long) template.intValue(t.getOrDefault("WriteCapacityUnits", 5)))
                .build();
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
