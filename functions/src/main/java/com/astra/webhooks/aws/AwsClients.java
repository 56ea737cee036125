package com.astra.webhooks.aws;

import com.astra.webhooks.config.Settings;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients once per container, on the small URLConnection HTTP client (no
 * Netty/Apache on the class path: cold start). An endpoint override (the local runner, LocalStack)
 * comes with dummy credentials unless real ones are configured.
 */
public final class AwsClients {
    private AwsClients() {}

    public static DynamoDbClient dynamoDb(Settings settings) {
        var builder = DynamoDbClient.builder()
                .httpClient(httpClient())
                .region(Region.of(settings.awsRegion()))
                .overrideConfiguration(c -> c.retryStrategy(dynamoDbRetries()).apiCallTimeout(DYNAMODB_CALL_TIMEOUT));
        if (settings.dynamoDbEndpoint() != null) {
            builder.endpointOverride(settings.dynamoDbEndpoint());
        }
        return UnavailableStore.wrap(builder.credentialsProvider(credentials(settings, settings.dynamoDbEndpoint())).build());
    }

    public static SqsClient sqs(Settings settings) {
        var builder = SqsClient.builder()
                .httpClient(httpClient())
                .region(Region.of(settings.awsRegion()));
        if (settings.sqsEndpoint() != null) {
            builder.endpointOverride(settings.sqsEndpoint());
        }
        return builder.credentialsProvider(credentials(settings, settings.sqsEndpoint())).build();
    }

    /** Only deployed stacks use it (JWT_SECRET_ARN); locally JWT_SECRET is read directly. */
    public static SecretsManagerClient secretsManager(Settings settings) {
        return SecretsManagerClient.builder()
                .httpClient(httpClient())
                .region(Region.of(settings.awsRegion()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build();
    }

    /**
     * Retries of one DynamoDB call, all inside {@link #DYNAMODB_CALL_TIMEOUT}: throttling, 5xx
     * and network errors up to {@value #DYNAMODB_ATTEMPTS} attempts with full-jitter backoff
     * capped at 2 s. No retry quota (the SDK's circuit breaker): a container's quota runs dry
     * under a steady fault rate (a fifth of calls failing empties it in seconds), after which
     * every fault fails its call outright and hands a message back for the queue's whole
     * visibility timeout. The call timeout bounds what an outage costs instead.
     */
    private static RetryStrategy dynamoDbRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(DYNAMODB_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofSeconds(2)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(2)))
                .circuitBreakerEnabled(false)
                .build();
    }

    /** Attempts of one DynamoDB call (DynamoDB's own SDK default is 9 under the legacy policy). */
    static final int DYNAMODB_ATTEMPTS = 8;

    /**
     * One DynamoDB call, retries included, ends within this: an API request under a DynamoDB
     * outage answers 503 well inside its function's 30 s timeout (API Gateway's limit too).
     */
    public static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(8);

    private static software.amazon.awssdk.http.SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .tlsTrustManagersProvider(AmazonRootsFirst::trustManagers)
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static AwsCredentialsProvider credentials(Settings settings, URI endpoint) {
        if (endpoint != null && !settings.awsCredentialsConfigured()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
