package com.astra.webhooks.aws;

import com.astra.webhooks.store.StoreUnavailableException;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client whose failures that mean "not now" (throttled, 5xx, a reset or refused
 * connection, the call's timeout), once the SDK has given up retrying, come out as the domain's
 * {@link StoreUnavailableException}, so that callers that know no AWS type can answer them (503,
 * or a message handed back). Refusals of the request itself (a failed condition, a validation
 * error) pass unchanged. A proxy rather than an SDK interceptor: the SDK insists that an
 * interceptor's exception stay of the type it replaces.
 */
final class UnavailableStore implements InvocationHandler {

    private final DynamoDbClient client;
    /** Whether the client leaves a method to the interface's default, found once per method. */
    private final Map<Method, Boolean> interfaceOnly = new ConcurrentHashMap<>();

    private UnavailableStore(DynamoDbClient client) {
        this.client = client;
    }

    static DynamoDbClient wrap(DynamoDbClient client) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, new UnavailableStore(client));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        try {
            // The interface's own conveniences (builder overloads, paginators) run on the proxy,
            // so the calls they make come back through here.
            if (method.isDefault() && interfaceOnly.computeIfAbsent(method, this::leftToInterface)) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return method.invoke(client, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw unavailable(cause) ? new StoreUnavailableException("DynamoDB unavailable: " + cause.getMessage(), cause)
                    : cause;
        }
    }

    private boolean leftToInterface(Method method) {
        try {
            return client.getClass().getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass()
                    == DynamoDbClient.class;
        } catch (NoSuchMethodException e) {
            return true;
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
