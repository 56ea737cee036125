package com.astra.webhooks.local;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.http.scaladsl.Http;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.RelaxedSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.Nil$;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import scalikejdbc.ConnectionPool$;

/**
 * ElasticMQ inside this JVM, wired the way elasticmq-server wires its {@code messages-storage}:
 * a SQL persistence actor listens to every queue and message change and restores them on start.
 * The embedded builder alone keeps nothing, hence the manual wiring.
 *
 * <p>It listens twice: on the public port for agents, and on a private loopback port for the
 * runner itself (pollers, handlers, setup). On a stop the public port is refused first, so an
 * agent's send is either stored or refused (and retried by its SDK), never half-accepted, while
 * the runner can still delete what it finished and hand back what it did not.
 */
final class EmbeddedSqs implements AutoCloseable {

    /**
     * The runner's own shutdown hook stops the pollers before ElasticMQ, so that an in-flight
     * batch can still delete its messages; Pekko must not race it with a hook of its own.
     * Headers stay raw: ElasticMQ reads them by name, and Pekko's typed parsing of every SDK
     * header (its User-Agent fails the grammar and is parsed again) was about a tenth of the SQS
     * stand-in's CPU per message (docs/benchmarks.md). Pekko's own thread pool stays as it is:
     * with two threads a FIFO send could wait forever.
     */
    private static final String QUIET_AND_OURS = """
            pekko.jvm-shutdown-hooks = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.loglevel = WARNING
            pekko.stdout-loglevel = WARNING
            pekko.log-dead-letters = off
            pekko.log-dead-letters-during-shutdown = off
            pekko.http.server.parsing.modeled-header-parsing = off
            """;

    /** How long a request already inside the public port may take to finish once it is refused. */
    private static final FiniteDuration REFUSE_DEADLINE = FiniteDuration.create(1, TimeUnit.SECONDS);

    private final ActorSystem system;
    private final Http.ServerBinding publicBinding;
    private final Http.ServerBinding internalBinding;
    private final String h2Url;
    private final AtomicBoolean refused = new AtomicBoolean();

    private EmbeddedSqs(ActorSystem system, Http.ServerBinding publicBinding, Http.ServerBinding internalBinding,
                        String h2Url) {
        this.system = system;
        this.publicBinding = publicBinding;
        this.internalBinding = internalBinding;
        this.h2Url = h2Url;
    }

    /**
     * @param dataDir      where the H2 database lives, or null to keep everything in memory
     * @param releaseAfter messages a previous run had received and not deleted become visible
     *                     again this long after the start (see {@link #releaseInFlight})
     */
    static EmbeddedSqs start(int port, Path dataDir, Duration releaseAfter) {
        ActorSystem system = ActorSystem.create("astra-local-sqs", ConfigFactory.parseString(QUIET_AND_OURS)
                .withFallback(ConfigFactory.load(EmbeddedSqs.class.getClassLoader())));
        String h2Url = null;
        try {
            ActorRef listener = null;
            if (dataDir != null) {
                h2Url = h2Url(dataDir);
                releaseInFlight(h2Url, releaseAfter);
                listener = system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                        persistence(h2Url), Nil$.MODULE$), "sql-persistence");
            }
            ActorRef queueManager = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
                    RelaxedSQSLimits$.MODULE$, Option.apply(listener)), "queue-manager");
            if (listener != null) {
                ActorRef restoring = FifoRestore.queueManager(system, queueManager);
                Patterns.ask(listener, new QueueEvent.Restore(restoring), Duration.ofSeconds(60))
                        .toCompletableFuture().get(60, TimeUnit.SECONDS);
                system.stop(restoring);
            }
            var builder = SQSRestServerBuilder.withActorSystem(system)
                    .withQueueManagerActor(queueManager)
                    .withInterface("127.0.0.1")
                    .withAWSRegion("us-east-1")
                    .withAWSAccountId("000000000000");
            if (listener != null) {
                builder = builder.withQueueEventListener(listener);
            }
            Http.ServerBinding publicBinding = builder.withPort(port).start().waitUntilStarted();
            int bound = publicBinding.localAddress().getPort();
            // queue URLs name the public port whichever port answered, so agents only ever see that one
            Http.ServerBinding internalBinding = builder.withPort(0)
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", bound, ""))
                    .start().waitUntilStarted();
            return new EmbeddedSqs(system, publicBinding, internalBinding, h2Url);
        } catch (Exception e) {
            system.terminate();
            closeH2(h2Url);
            throw new LocalRunner.StartupException("ElasticMQ did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would otherwise close the store the moment
     * a SIGTERM arrives, while ElasticMQ still accepts and acknowledges messages; the runner
     * closes it, last. WRITE_DELAY=0: H2 otherwise commits to disk up to a second late, and a
     * kill -9 in that window loses the last messages sent.
     */
    private static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The pool is (re)installed here rather than left to ElasticMQ, which only initialises it once per JVM. */
    private static SqlQueuePersistenceConfig persistence(String uri) throws ClassNotFoundException {
        Class.forName("org.h2.Driver");
        var pool = ConnectionPool$.MODULE$;
        var settings = pool.singleton$default$4();
        pool.singleton(uri, "", "", settings, pool.singleton$default$5(uri, "", "", settings));
        return new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "", "", false);
    }

    /**
     * Messages that were received but neither deleted nor handed back when the last run ended
     * (a kill -9, or a batch still running at a clean stop) would stay invisible for the whole
     * visibility timeout. The runner is the only consumer of its embedded queues, so nobody
     * holds them any more; they come back once the delivery claims taken for them have lapsed
     * ({@code releaseAfter}), because before that the dispatcher would find them busy and hand
     * them back for another full timeout. Messages of FIFO queues come back at once (see below).
     * This runs on ElasticMQ's own table (message_*) before
     * ElasticMQ restores it: {@code receive_count > 0} tells a received message from one that is
     * only delayed (a retry's DelaySeconds), which is left alone.
     */
    private static void releaseInFlight(String url, Duration releaseAfter) throws SQLException, ClassNotFoundException {
        Class.forName("org.h2.Driver");
        long now = System.currentTimeMillis();
        long visibleAt = now + releaseAfter.toMillis();
        int released = 0;
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "MESSAGE_%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                String name = "\"" + table.replace("\"", "") + "\"";
                try (PreparedStatement update = c.prepareStatement("UPDATE " + name
                        + " SET next_delivery = ? WHERE receive_count > 0 AND next_delivery > ? AND group_id IS NULL")) {
                    update.setLong(1, visibleAt);
                    update.setLong(2, visibleAt);
                    released += update.executeUpdate();
                }
                // A FIFO message (it has a group) that was in flight or held comes back at once
                // and, restored in its place at the head of its group (FifoRestore), holds the
                // rest of the group behind it as before; whoever handles it decides again whether
                // it must wait (the ordered lane holds a retry that is not due).
                try (PreparedStatement update = c.prepareStatement("UPDATE " + name
                        + " SET next_delivery = created WHERE receive_count > 0 AND group_id IS NOT NULL")) {
                    released += update.executeUpdate();
                }
            }
            continueSequenceNumbers(url, tables);
        }
        if (released > 0) {
            System.out.println("[astra-local] " + released + " message(s) still in flight when the runner last stopped"
                    + " come back in " + releaseAfter.toSeconds() + " s, once their delivery claims have lapsed");
        }
    }

    /**
     * ElasticMQ numbers FIFO messages ({@code SequenceNumber}, which SQS makes increase within a
     * group) from a counter that starts at 0 in every JVM; restored messages keep theirs. Without
     * this, a message sent after a restart would carry a lower number than the restored messages
     * ahead of it in its group. (ElasticMQ orders a group by send time, not by this number.)
     */
    private static void continueSequenceNumbers(String url, List<String> tables) throws SQLException {
        long highest = -1;
        try (Connection c = DriverManager.getConnection(url, "", ""); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT MAX(CAST(sequence_number AS BIGINT)) FROM \""
                        + table.replace("\"", "") + "\" WHERE sequence_number IS NOT NULL")) {
                    if (rs.next()) {
                        highest = Math.max(highest, rs.getLong(1));
                    }
                }
            }
        }
        long next = highest + 1;
        sequenceCounter().accumulateAndGet(next, Math::max);
    }

    /** ElasticMQ's FIFO sequence counter (a private field of its SequenceNumber object). */
    static java.util.concurrent.atomic.AtomicLong sequenceCounter() {
        try {
            var field = org.elasticmq.actor.queue.operations.SequenceNumber$.class.getDeclaredField("current");
            field.setAccessible(true);
            return (java.util.concurrent.atomic.AtomicLong) field.get(
                    org.elasticmq.actor.queue.operations.SequenceNumber$.MODULE$);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ElasticMQ's FIFO sequence counter is not where it was: " + e, e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + publicBinding.localAddress().getPort();
    }

    /** For the runner's own clients; still answers after {@link #refuse()}. */
    String internalEndpoint() {
        return "http://127.0.0.1:" + internalBinding.localAddress().getPort();
    }

    /**
     * Stops the public port: no new connections, and a request arriving on an open one is
     * answered 503, which the SDKs retry. Requests already inside get {@link #REFUSE_DEADLINE}
     * to finish, so a send that was accepted is also stored and acknowledged.
     */
    void refuse() {
        if (refused.compareAndSet(false, true)) {
            terminate(publicBinding, "public endpoint");
        }
    }

    /** Refuses, stops the runner's endpoint and the actors, then closes the H2 store. */
    @Override
    public void close() {
        refuse();
        terminate(internalBinding, "internal endpoint");
        try {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("[astra-local] ElasticMQ actor system stop: " + e.getMessage());
        }
        closeH2(h2Url);
        ConnectionPool$.MODULE$.closeAll();
    }

    private static void terminate(Http.ServerBinding binding, String what) {
        try {
            FutureConverters.asJava(binding.terminate(REFUSE_DEADLINE)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("[astra-local] ElasticMQ " + what + " stop: " + e.getMessage());
        }
    }

    /** Every change is committed already (WRITE_DELAY=0); SHUTDOWN closes the files cleanly. */
    private static void closeH2(String url) {
        if (url == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url, "", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            System.err.println("[astra-local] closing the message store: " + e.getMessage());
        }
    }
}
