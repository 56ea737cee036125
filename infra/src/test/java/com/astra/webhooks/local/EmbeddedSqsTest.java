package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.aws.AwsClients;
import com.astra.webhooks.config.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ as the runner embeds it, on a data dir: what a restart gives back, and the two
 * ports a stop closes one after the other.
 */
class EmbeddedSqsTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartReleasesReceivedMessagesButKeepsDelayedOnesDelayed() {
        EmbeddedSqs first = EmbeddedSqs.start(0, dataDir, Duration.ZERO);
        try (SqsClient sqs = client(first.internalEndpoint())) {
            String url = sqs.createQueue(b -> b.queueName("q")
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "360"))).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("in flight"));
            List<Message> taken = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
            assertEquals(List.of("in flight"), taken.stream().map(Message::body).toList());
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("a retry, due in 15 minutes").delaySeconds(900));
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("waiting"));
        } finally {
            first.close();
        }

        EmbeddedSqs second = EmbeddedSqs.start(0, dataDir, Duration.ZERO);
        try (SqsClient sqs = client(second.internalEndpoint())) {
            String url = sqs.getQueueUrl(b -> b.queueName("q")).queueUrl();
            Set<String> visible = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages().stream().map(Message::body).collect(Collectors.toSet());
            // without the release, "in flight" would stay hidden for its 360 s
            assertEquals(Set.of("in flight", "waiting"), visible);
        } finally {
            second.close();
        }
    }

    @Test
    void refusingClosesThePublicPortAndLeavesTheRunnersOwnOpen() {
        EmbeddedSqs sqs = EmbeddedSqs.start(0, dataDir, Duration.ZERO);
        try (SqsClient agent = client(sqs.endpoint()); SqsClient runner = client(sqs.internalEndpoint())) {
            String url = agent.createQueue(b -> b.queueName("q")).queueUrl();
            assertTrue(url.startsWith(sqs.endpoint()), "queue URLs name the public port: " + url);
            assertEquals(url, runner.getQueueUrl(b -> b.queueName("q")).queueUrl(), "from either port");

            sqs.refuse();
            assertThrows(SdkClientException.class, () -> agent.sendMessage(b -> b.queueUrl(url).messageBody("late")));
            runner.sendMessage(b -> b.queueUrl(url).messageBody("the runner's own"));
            assertEquals(List.of("the runner's own"), runner.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1))
                    .messages().stream().map(Message::body).toList());
        } finally {
            sqs.close();
        }
    }

    private static SqsClient client(String endpoint) {
        return AwsClients.sqs(Settings.parse(Map.of(Settings.AWS_ENDPOINT_URL_SQS, endpoint, Settings.AWS_REGION, "us-east-1")));
    }
}
