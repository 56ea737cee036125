package com.astra.webhooks.aws;

import com.astra.webhooks.store.StoreUnavailableException;
import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Turns a DynamoDB failure that means "not now" (throttled, 5xx, a reset or refused connection,
 * the call's timeout) into the domain's {@link StoreUnavailableException} once the SDK has given
 * up retrying, so that callers that know no AWS type can answer it (503, or a message handed
 * back). Refusals of the request itself (a failed condition, a validation error) pass unchanged.
 */
final class UnavailableStore implements ExecutionInterceptor {

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable e = context.exception();
        return unavailable(e) ? new StoreUnavailableException("DynamoDB unavailable: " + e.getMessage(), e) : e;
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
