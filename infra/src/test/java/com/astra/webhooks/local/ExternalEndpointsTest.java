package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.config.Settings;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** With AWS_ENDPOINT_URL_SQS / _DYNAMODB set, the runner uses those and starts neither emulator. */
class ExternalEndpointsTest {

    @Test
    void usesGivenEndpointsAndStillCreatesWhatIsMissing() {
        try (LocalRunner emulators = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .template(StubStack.template()))) {
            // drop what the first runner created: the second must create it again
            SqsClient sqs = SqsClient.builder()
                    .endpointOverride(URI.create(emulators.sqsEndpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            sqs.deleteQueue(b -> b.queueUrl(emulators.eventsQueueUrl()));

            // ports that nothing listens on: binding there would mean an emulator was started anyway
            try (LocalRunner runner = LocalRunner.start(RunnerOptions.defaults().httpPort(0).inMemory(true).pollers(0)
                    .sqsPort(LocalRunner.freePort()).dynamoDbPort(LocalRunner.freePort())
                    .template(StubStack.template())
                    .setting(Settings.AWS_ENDPOINT_URL_SQS, emulators.sqsEndpoint())
                    .setting(Settings.AWS_ENDPOINT_URL_DYNAMODB, emulators.dynamoEndpoint()))) {
                assertEquals(emulators.sqsEndpoint(), runner.sqsEndpoint());
                assertEquals(emulators.dynamoEndpoint(), runner.dynamoEndpoint());
                assertTrue(runner.eventsQueueUrl().startsWith(emulators.sqsEndpoint()));
                sqs.getQueueUrl(b -> b.queueName(LocalRunner.EVENTS_QUEUE));
            }
            sqs.close();
        }
    }
}
