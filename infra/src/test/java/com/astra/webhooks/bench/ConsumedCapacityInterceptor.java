package com.astra.webhooks.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Measures DynamoDB capacity without touching production code: registered for every SDK client
 * in the JVM through the classpath resource
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} (test resources only),
 * it does nothing until {@link #start()}; then it asks every DynamoDB call for
 * {@code ReturnConsumedCapacity=INDEXES} (table and each index) and adds up what the responses
 * report, per operation. Calls that fail (a conditional write that lost) are counted apart:
 * DynamoDB charges them too but reports no capacity in the error.
 */
public final class ConsumedCapacityInterceptor implements ExecutionInterceptor {

    private static volatile boolean active;

    /** Per operation: calls, capacity units reported, units on the table, units on indexes, failures. */
    public static final class Tally {
        public final LongAdder calls = new LongAdder();
        public final LongAdder withCapacity = new LongAdder();
        public final DoubleAdder total = new DoubleAdder();
        public final DoubleAdder table = new DoubleAdder();
        public final DoubleAdder indexes = new DoubleAdder();
        public final LongAdder failures = new LongAdder();
    }

    private static final Map<String, Tally> TALLIES = new ConcurrentHashMap<>();

    public static void start() {
        TALLIES.clear();
        active = true;
    }

    /** Stops counting and returns the tallies by operation name (PutItem, Query, ...). */
    public static Map<String, Tally> stop() {
        active = false;
        return new TreeMap<>(TALLIES);
    }

    public static boolean isWrite(String operation) {
        return operation.startsWith("Put") || operation.startsWith("Update") || operation.startsWith("Delete")
                || operation.equals("BatchWriteItem") || operation.equals("TransactWriteItems")
                || operation.equals("BatchExecuteStatement"); // the dispatcher's only statements are INSERTs
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (!active) {
            return r;
        }
        ReturnConsumedCapacity rc = ReturnConsumedCapacity.INDEXES;
        if (r instanceof PutItemRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof UpdateItemRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof DeleteItemRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof GetItemRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof QueryRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof ScanRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof BatchGetItemRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof BatchWriteItemRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof TransactWriteItemsRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof TransactGetItemsRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        if (r instanceof BatchExecuteStatementRequest x) return x.toBuilder().returnConsumedCapacity(rc).build();
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!active || !(context.request() instanceof DynamoDbRequest)) {
            return;
        }
        Tally t = tally(attributes);
        t.calls.increment();
        Object consumed = context.response().getValueForField("ConsumedCapacity", Object.class).orElse(null);
        if (consumed instanceof ConsumedCapacity c) {
            add(t, c);
        } else if (consumed instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof ConsumedCapacity c) {
                    add(t, c);
                }
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (active && context.request() instanceof DynamoDbRequest) {
            Tally t = tally(attributes);
            t.calls.increment();
            t.failures.increment();
        }
    }

    private static Tally tally(ExecutionAttributes attributes) {
        return TALLIES.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new Tally());
    }

    private static void add(Tally t, ConsumedCapacity c) {
        t.withCapacity.increment();
        if (c.capacityUnits() != null) {
            t.total.add(c.capacityUnits());
        }
        if (c.table() != null) {
            t.table.add(units(c.table()));
        }
        if (c.globalSecondaryIndexes() != null) {
            c.globalSecondaryIndexes().values().forEach(i -> t.indexes.add(units(i)));
        }
        if (c.localSecondaryIndexes() != null) {
            c.localSecondaryIndexes().values().forEach(i -> t.indexes.add(units(i)));
        }
    }

    private static double units(Capacity c) {
        if (c.capacityUnits() != null) return c.capacityUnits();
        double u = 0;
        if (c.readCapacityUnits() != null) u += c.readCapacityUnits();
        if (c.writeCapacityUnits() != null) u += c.writeCapacityUnits();
        return u;
    }
}
