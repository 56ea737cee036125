package com.astra.webhooks.local;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates the events queue and its DLQ with the template's settings, or brings existing ones
 * (restored from disk, or an external SQS) in line with them. A queue the template marks
 * {@code FifoQueue} is created as a FIFO queue (its name ends in .fifo), and so is its DLQ, as SQS
 * requires; FifoQueue can only be given at creation, so it is never sent to an existing queue.
 */
final class QueueSetup {

    record Queues(String eventsUrl, String eventsArn, String dlqUrl, String dlqArn, int visibilityTimeout,
                  int maxReceiveCount) {}

    private QueueSetup() {}

    /** @param embedded ElasticMQ warns about (and ignores) MessageRetentionPeriod, so it is only sent to real SQS */
    static Queues ensure(SqsClient sqs, TemplateModel template, String eventsResource, String eventsName,
                         String dlqName, boolean embedded) {
        Map<String, Object> p = template.properties(eventsResource);
        Map<String, Object> redrive = TemplateModel.map(p.get("RedrivePolicy"));
        int visibility = template.intValue(p.getOrDefault("VisibilityTimeout", 30));
        int maxReceives = template.intValue(redrive.getOrDefault("maxReceiveCount", 5));

        Map<QueueAttributeName, String> dlqAttributes = new LinkedHashMap<>();
        if (!redrive.isEmpty() && !embedded) {
            String dlqResource = TemplateModel.referencedResource(redrive.get("deadLetterTargetArn"));
            retention(template, dlqResource).ifPresent(r -> dlqAttributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, r));
        }
        Map<QueueAttributeName, String> created = fifo(template, eventsResource)
                ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of();
        String dlqUrl = upsert(sqs, dlqName, dlqAttributes, created);
        String dlqArn = arn(sqs, dlqUrl);

        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibility));
        retention(template, embedded ? null : eventsResource).ifPresent(r -> attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, r));
        if (!redrive.isEmpty()) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceives + "\"}");
        }
        String eventsUrl = upsert(sqs, eventsName, attributes, created);
        return new Queues(eventsUrl, arn(sqs, eventsUrl), dlqUrl, dlqArn, visibility, maxReceives);
    }

    private static java.util.Optional<String> retention(TemplateModel template, String resource) {
        Object r = resource == null ? null : template.properties(resource).get("MessageRetentionPeriod");
        return r == null ? java.util.Optional.empty() : java.util.Optional.of(Integer.toString(template.intValue(r)));
    }

    static boolean fifo(TemplateModel template, String resource) {
        return "true".equals(String.valueOf(template.properties(resource).get("FifoQueue")));
    }

    private static String upsert(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes,
                                 Map<QueueAttributeName, String> atCreation) {
        try {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            if (!attributes.isEmpty()) {
                sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
            }
            return url;
        } catch (QueueDoesNotExistException e) {
            Map<QueueAttributeName, String> all = new LinkedHashMap<>(attributes);
            all.putAll(atCreation);
            return sqs.createQueue(b -> b.queueName(name).attributes(all)).queueUrl();
        }
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
