package com.astra.webhooks.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Status;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.actor.queue.InternalMessage;
import org.elasticmq.msg.CreateQueue;
import org.elasticmq.msg.RestoreMessages;
import scala.jdk.javaapi.CollectionConverters;
import scala.util.Right;

/**
 * Restores FIFO messages as FIFO messages. ElasticMQ's SQL store (1.7.1, {@code DBMessage.toInternalMessage})
 * brings every message back with {@code isFifo = false} and {@code orderIndex = 0}, and a message's
 * {@code isFifo} decides how it sorts within its group: FIFO by {@code created}, otherwise by next
 * delivery. A restored group is therefore a standard queue: a received message is put back behind
 * the others by its new next delivery, so it no longer holds its group and the next poller gets the
 * next message while the first is still being handled — after a restart a key's deliveries ran in
 * parallel and arrived out of order. SQS never reorders a group.
 *
 * <p>The SQL store restores by asking the queue manager it is given for each queue and then sending
 * that queue {@link RestoreMessages}. It is given {@link #queueManager} instead, which hands it, for a
 * FIFO queue, a stand-in for the queue that marks the messages FIFO before passing them on. The
 * store keeps {@code created} in milliseconds, so messages sent within one millisecond tie; ElasticMQ
 * breaks a tie by {@code orderIndex}, which is set here to the message's rank by (created, sequence
 * number), the order in which the queue accepted them.
 */
final class FifoRestore {

    private static final Duration ASK = Duration.ofSeconds(60);

    private FifoRestore() {}

    /** A queue manager for the SQL store's restore only: it creates queues on {@code manager}. */
    static ActorRef queueManager(ActorSystem system, ActorRef manager) {
        return system.actorOf(Props.create(Manager.class, () -> new Manager(system, manager)), "fifo-restore");
    }

    /** The messages of one FIFO queue as ElasticMQ would hold them had they never left memory. */
    static List<InternalMessage> asFifo(List<InternalMessage> restored) {
        List<InternalMessage> sorted = new ArrayList<>(restored);
        sorted.sort(Comparator.comparing(InternalMessage::created)
                .thenComparingLong(m -> m.sequenceNumber().isDefined() ? Long.parseLong(m.sequenceNumber().get()) : 0L));
        List<InternalMessage> fifo = new ArrayList<>(sorted.size());
        for (int rank = 0; rank < sorted.size(); rank++) {
            InternalMessage m = sorted.get(rank);
            fifo.add(new InternalMessage(m.id(), m.deliveryReceipts(), m.nextDelivery(), m.content(),
                    m.messageAttributes(), m.created(), rank, m.firstReceive(), m.receiveCount(), true,
                    m.messageGroupId(), m.messageDeduplicationId(), m.tracingId(), m.sequenceNumber(),
                    m.deadLetterSourceQueueName()));
        }
        return fifo;
    }

    static final class Manager extends AbstractActor {
        private final ActorSystem system;
        private final ActorRef manager;

        Manager(ActorSystem system, ActorRef manager) {
            this.system = system;
            this.manager = manager;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(CreateQueue.class, this::create)
                    .matchAny(other -> manager.forward(other, getContext()))
                    .build();
        }

        private void create(CreateQueue create) {
            ActorRef replyTo = getSender();
            boolean fifo = create.request().isFifo();
            Patterns.ask(manager, create, ASK).whenComplete((reply, error) -> {
                if (error != null) {
                    replyTo.tell(new Status.Failure(error), ActorRef.noSender());
                } else if (fifo && reply instanceof Right<?, ?> created && created.value() instanceof ActorRef queue) {
                    replyTo.tell(Right.apply(system.actorOf(Props.create(Queue.class, () -> new Queue(queue)))),
                            ActorRef.noSender());
                } else {
                    replyTo.tell(reply, ActorRef.noSender());
                }
            });
        }
    }

    /** Stands in for one FIFO queue during the restore, then stops. */
    static final class Queue extends AbstractActor {
        private final ActorRef queue;

        Queue(ActorRef queue) {
            this.queue = queue;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(RestoreMessages.class, restore -> {
                        List<InternalMessage> fifo = asFifo(CollectionConverters.asJava(restore.messages()));
                        queue.forward(new RestoreMessages(CollectionConverters.asScala(fifo).toList()), getContext());
                        getContext().stop(getSelf());
                    })
                    .matchAny(other -> queue.forward(other, getContext()))
                    .build();
        }
    }
}
