package com.astra.webhooks.aws;

import com.astra.webhooks.config.Settings;
import java.net.URI;
import java.time.Duration;
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

    public static DynamoDbClient dynamoDb(Settings settings) {
        var builder = DynamoDbClient.builder()
                .httpClient(httpClient())
                .region(Region.of(settings.awsRegion()));
        if (settings.dynamoDbEndpoint() != null) {
            builder.endpointOverride(settings.dynamoDbEndpoint());
        }
        return builder.credentialsProvider(credentials(settings, settings.dynamoDbEndpoint())).build();
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

    private static software.amazon.awssdk.http.SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
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
