package com.astra.webhooks.aws;

import com.astra.webhooks.store.StoreUnavailableException;
import java.io.IOException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;

/**
 * A DynamoDB client whose failures that mean "not now" (throttled, 5xx, a reset or refused
 * connection, the call's timeout), once the SDK has given up retrying, come out as the domain's
 * {@link StoreUnavailableException}, so that callers that know no AWS type can answer them (503,
 * or a message handed back). Refusals of the request itself (a failed condition, a validation
 * error) pass unchanged. Not an SDK interceptor: the SDK insists that an interceptor's exception
 * stay of the type it replaces. Not a {@code java.lang.reflect.Proxy} either: a proxy of
 * {@link DynamoDbClient} resolves every method of the interface when it is made, about a
 * thousand request, response and paginator classes on every cold start. Written out for the
 * operations the functions call, and the local runner's table setup and readiness probe (it
 * builds its client here too); the interface's own conveniences (builder overloads, paginators)
 * come back through them; any other operation, such as a scan, is refused by the interface's
 * default. What the functions may call is also what their IAM roles grant (TemplateStructureTest
 * reads the calls from this source).
 */
final class UnavailableStore implements DynamoDbClient {

    private final DynamoDbClient client;

    private UnavailableStore(DynamoDbClient client) {
        this.client = client;
    }

    static DynamoDbClient wrap(DynamoDbClient client) {
        return new UnavailableStore(client);
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return call(() -> client.getItem(request));
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return call(() -> client.putItem(request));
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return call(() -> client.updateItem(request));
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return call(() -> client.deleteItem(request));
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return call(() -> client.query(request));
    }


    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return call(() -> client.batchGetItem(request));
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return call(() -> client.batchWriteItem(request));
    }

    @Override
    public BatchExecuteStatementResponse batchExecuteStatement(BatchExecuteStatementRequest request) {
        return call(() -> client.batchExecuteStatement(request));
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        return call(() -> client.transactWriteItems(request));
    }


    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return call(() -> client.createTable(request));
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return call(() -> client.describeTable(request));
    }

    @Override
    public ListTablesResponse listTables(ListTablesRequest request) {
        return call(() -> client.listTables(request));
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest request) {
        return call(() -> client.updateTimeToLive(request));
    }


    @Override
    public String serviceName() {
        return client.serviceName();
    }

    @Override
    public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
        return client.serviceClientConfiguration();
    }

    @Override
    public void close() {
        client.close();
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw unavailable(e) ? new StoreUnavailableException("DynamoDB unavailable: " + e.getMessage(), e) : e;
        }
    }

    static boolean unavailable(Throwable e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || e instanceof AbortedException) {
            return true;
        }
        if (e instanceof SdkClientException) {
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                if (c instanceof IOException) {
                    return true;
                }
            }
        }
        return false;
    }
}
