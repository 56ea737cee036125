package com.astra.webhooks.aws;

import com.astra.webhooks.config.Config;
import com.astra.webhooks.config.Keys;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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

    public static DynamoDbClient dynamoDb(Config config) {
        var builder = DynamoDbClient.builder()
                .httpClient(httpClient())
                .region(region(config));
        endpoint(config, Keys.AWS_ENDPOINT_URL_DYNAMODB).ifPresent(uri -> builder.endpointOverride(uri));
        return builder.credentialsProvider(credentials(config, Keys.AWS_ENDPOINT_URL_DYNAMODB)).build();
    }

    public static SqsClient sqs(Config config) {
        var builder = SqsClient.builder()
                .httpClient(httpClient())
                .region(region(config));
        endpoint(config, Keys.AWS_ENDPOINT_URL_SQS).ifPresent(uri -> builder.endpointOverride(uri));
        return builder.credentialsProvider(credentials(config, Keys.AWS_ENDPOINT_URL_SQS)).build();
    }

    /** Only deployed stacks use it (JWT_SECRET_ARN); locally JWT_SECRET is read directly. */
    public static SecretsManagerClient secretsManager(Config config) {
        return SecretsManagerClient.builder()
                .httpClient(httpClient())
                .region(region(config))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build();
    }

    private static software.amazon.awssdk.http.SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static Region region(Config config) {
        return Region.of(config.get(Keys.AWS_REGION, "us-east-1"));
    }

    private static Optional<URI> endpoint(Config config, String key) {
        return config.get(key).map(URI::create);
    }

    private static AwsCredentialsProvider credentials(Config config, String endpointKey) {
        boolean emulator = endpoint(config, endpointKey).isPresent();
        boolean realKeys = config.get("AWS_ACCESS_KEY_ID").isPresent()
                || System.getProperty("aws.accessKeyId") != null
                || config.get("AWS_PROFILE").isPresent()
                || config.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent();
        if (emulator && !realKeys) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
