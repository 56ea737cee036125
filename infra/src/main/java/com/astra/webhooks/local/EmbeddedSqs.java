package com.astra.webhooks.local;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.RelaxedSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.Nil$;
import scalikejdbc.ConnectionPool$;

/**
 * ElasticMQ inside this JVM, wired the way elasticmq-server wires its {@code messages-storage}:
 * a SQL persistence actor listens to every queue and message change and restores them on start.
 * The embedded builder alone keeps nothing, hence the manual wiring.
 */
final class EmbeddedSqs implements AutoCloseable {

    /**
     * The runner's own shutdown hook stops the pollers before ElasticMQ, so that an in-flight
     * batch can still delete its messages; Pekko must not race it with a hook of its own.
     */
    private static final String QUIET_AND_OURS = """
            pekko.jvm-shutdown-hooks = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.loglevel = WARNING
            pekko.stdout-loglevel = WARNING
            pekko.log-dead-letters = off
            pekko.log-dead-letters-during-shutdown = off
            """;

    private final ActorSystem system;
    private final SQSRestServer server;
    private final int port;

    private EmbeddedSqs(ActorSystem system, SQSRestServer server, int port) {
        this.system = system;
        this.server = server;
        this.port = port;
    }

    /** @param dataDir where the H2 database lives, or null to keep everything in memory */
    static EmbeddedSqs start(int port, Path dataDir) {
        ActorSystem system = ActorSystem.create("astra-local-sqs", ConfigFactory.parseString(QUIET_AND_OURS)
                .withFallback(ConfigFactory.load(EmbeddedSqs.class.getClassLoader())));
        try {
            ActorRef listener = null;
            if (dataDir != null) {
                listener = system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                        persistence(dataDir), Nil$.MODULE$), "sql-persistence");
            }
            ActorRef queueManager = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
                    RelaxedSQSLimits$.MODULE$, Option.apply(listener)), "queue-manager");
            if (listener != null) {
                Patterns.ask(listener, new QueueEvent.Restore(queueManager), Duration.ofSeconds(60))
                        .toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            var builder = SQSRestServerBuilder.withActorSystem(system)
                    .withQueueManagerActor(queueManager)
                    .withInterface("127.0.0.1")
                    .withPort(port)
                    .withAWSRegion("us-east-1")
                    .withAWSAccountId("000000000000");
            if (listener != null) {
                builder = builder.withQueueEventListener(listener);
            }
            SQSRestServer server = builder.start();
            int bound = server.waitUntilStarted().localAddress().getPort();
            return new EmbeddedSqs(system, server, bound);
        } catch (Exception e) {
            system.terminate();
            throw new LocalRunner.StartupException("ElasticMQ did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * WRITE_DELAY=0: H2 otherwise commits to disk up to a second late, and a kill -9 in that
     * window loses the last messages sent. The pool is (re)installed here rather than left to
     * ElasticMQ, which only initialises it once per JVM.
     */
    private static SqlQueuePersistenceConfig persistence(Path dataDir) throws ClassNotFoundException {
        String uri = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0";
        Class.forName("org.h2.Driver");
        var pool = ConnectionPool$.MODULE$;
        var settings = pool.singleton$default$4();
        pool.singleton(uri, "", "", settings, pool.singleton$default$5(uri, "", "", settings));
        return new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "", "", false);
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the REST endpoint and the actors; H2 flushes and closes with its last connection. */
    @Override
    public void close() {
        try {
            server.stopAndWait();
        } catch (Exception e) {
            System.err.println("[astra-local] ElasticMQ stop: " + e.getMessage());
        }
        try {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("[astra-local] ElasticMQ actor system stop: " + e.getMessage());
        }
        ConnectionPool$.MODULE$.closeAll();
    }
}
