package com.astra.webhooks.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP API's listener: the JDK server on loopback, each request handed to the API Gateway bridge. */
final class LocalHttpApi implements AutoCloseable {

    /**
     * The JDK server closes a connection with more than 200 headers without a status; raised so
     * that API Gateway's own limit (ApiGatewayBridge.MAX_HEAD_BYTES, answered 431) is the one a
     * client meets. The JDK reads it once, when the first HttpServer of the JVM starts, so the
     * runner calls this as soon as it is loaded (a test's receiver may start before the API does).
     */
    static void raiseHeaderLimit() {
        if (System.getProperty("sun.net.httpserver.maxReqHeaders") == null) {
            System.setProperty("sun.net.httpserver.maxReqHeaders", "10000");
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;

    private LocalHttpApi(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    static LocalHttpApi start(int port, LambdaHandlers handlers, HttpApiRouter router, Duration integrationTimeout) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            ExecutorService pool = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    daemonThreads("astra-local-http"));
            server.setExecutor(pool);
            server.createContext("/", new ApiGatewayBridge(router, handlers, integrationTimeout));
            server.start();
            return new LocalHttpApi(server, pool);
        } catch (IOException e) {
            throw new LocalRunner.StartupException("cannot listen on 127.0.0.1:" + port + " for the HTTP API: "
                    + e.getMessage());
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(1);
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Daemon threads, so that a runner a test forgot to close does not keep its JVM alive. */
    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
