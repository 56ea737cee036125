package com.astra.webhooks.local;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Which of the template's queues the runner creates, under which local names: every queue an SQS
 * event source reads. The first source's queue is the events queue, named as DESIGN.md names it
 * for agents; every further one (the slow lane, the FIFO queues) is named from its logical id.
 */
final class LocalQueues {

    private final String eventsResource;
    /** Further queues by logical id, each with its local name. */
    private final Map<String, String> laneNames = new LinkedHashMap<>();

    LocalQueues(TemplateModel template) {
        eventsResource = template.sqsSources().stream().findFirst().map(TemplateModel.SqsSource::queueResource)
                .orElse("EventsQueue");
        template.sqsSources().stream().map(TemplateModel.SqsSource::queueResource).filter(q -> !q.equals(eventsResource))
                .distinct().forEach(q -> laneNames.put(q, localQueueName(q, QueueSetup.fifo(template, q))));
    }

    String eventsResource() {
        return eventsResource;
    }

    /**
     * Stand-ins by logical id, for reading the functions' environment before any queue exists (the
     * dispatcher's settings decide ElasticMQ's claim lease, so they are read before it starts).
     */
    Map<String, QueueSetup.Queues> placeholders() {
        Map<String, QueueSetup.Queues> placeholders = new LinkedHashMap<>();
        placeholders.put(eventsResource, new QueueSetup.Queues("(events queue)", null, "(dead-letter queue)", null, 0, 0));
        laneNames.forEach((q, name) -> placeholders.put(q, new QueueSetup.Queues("(" + name + ")", null,
                "(" + dlqName(name) + ")", null, 0, 0)));
        return placeholders;
    }

    /** Creates (or brings in line) every queue with its DLQ; by logical id, the events queue first. */
    Map<String, QueueSetup.Queues> ensure(SqsClient sqs, TemplateModel template, boolean embedded) {
        Map<String, QueueSetup.Queues> queues = new LinkedHashMap<>();
        queues.put(eventsResource, QueueSetup.ensure(sqs, template, eventsResource, LocalRunner.EVENTS_QUEUE,
                LocalRunner.DLQ, embedded));
        laneNames.forEach((q, name) -> queues.put(q, QueueSetup.ensure(sqs, template, q, name, dlqName(name), embedded)));
        return queues;
    }

    /**
     * A further queue's local name from its logical id: SlowLaneQueue is astra-slow-lane. A FIFO
     * queue's name ends in .fifo, as SQS wants: EventsFifoQueue is astra-events.fifo (the name
     * DESIGN.md gives agents), OrderedFifoQueue astra-ordered.fifo.
     */
    static String localQueueName(String logicalId, boolean fifo) {
        String base = logicalId.endsWith("Queue") ? logicalId.substring(0, logicalId.length() - "Queue".length()) : logicalId;
        if (fifo && base.endsWith("Fifo")) {
            base = base.substring(0, base.length() - "Fifo".length());
        }
        return "astra-" + base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + (fifo ? ".fifo" : "");
    }

    /** A queue's DLQ: astra-slow-lane-dlq, astra-events-dlq.fifo. */
    static String dlqName(String queueName) {
        return queueName.endsWith(".fifo") ? queueName.substring(0, queueName.length() - ".fifo".length()) + "-dlq.fifo"
                : queueName + "-dlq";
    }
}
