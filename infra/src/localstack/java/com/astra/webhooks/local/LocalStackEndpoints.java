package com.astra.webhooks.local;

import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Compiled only by {@code mvn verify -Plocalstack}: starts LocalStack with Testcontainers and
 * hands its SQS and DynamoDB endpoints to the runner's {@code AWS_ENDPOINT_URL_*} mode, so the
 * integration suite runs against LocalStack instead of ElasticMQ and dynoxide.
 */
public final class LocalStackEndpoints {
    private LocalStackEndpoints() {}

    private static LocalStackContainer container;

    /** Empty when there is no Docker engine to start LocalStack in. */
    public static synchronized Map<String, String> start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Map.of();
        }
        if (container == null) {
            container = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4"))
                    .withServices("sqs", "dynamodb");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        }
        String endpoint = container.getEndpoint().toString();
        return Map.of("AWS_ENDPOINT_URL_SQS", endpoint, "AWS_ENDPOINT_URL_DYNAMODB", endpoint,
                "AWS_REGION", container.getRegion(),
                "AWS_ACCESS_KEY_ID", container.getAccessKey(), "AWS_SECRET_ACCESS_KEY", container.getSecretKey());
    }
}
