package com.astra.webhooks.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The test kit's misbehaving webhook receiver, speaking raw TCP on 127.0.0.1 for what a real HTTP
 * server ({@link Receiver}) will not do: accept and never answer, drip, stream without end, reset
 * the connection, answer a TLS hello in plain text. Each connection runs the handler on its own
 * thread; {@link #close()} releases handlers waiting in {@link #awaitClose()} and closes every
 * socket.
 */
public final class FaultServer implements AutoCloseable {

    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket, FaultServer server) throws Exception;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Connections accepted so far. */
    public final AtomicInteger connections = new AtomicInteger();
    /** Requests read completely so far. */
    public final AtomicInteger requests = new AtomicInteger();
    /** Response bytes the handlers managed to write (the client read them or the kernel buffered them). */
    public final AtomicLong bytesWritten = new AtomicLong();
    /** Connections whose client hung up while the handler was still writing. */
    public final AtomicInteger hangUps = new AtomicInteger();

    public FaultServer(Handler handler) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    connections.incrementAndGet();
                    Thread worker = new Thread(() -> {
                        try {
                            handler.handle(socket, this);
                        } catch (IOException e) {
                            if (!server.isClosed()) {
                                hangUps.incrementAndGet();
                            }
                        } catch (Exception ignored) {
                            // interrupted at close
                        } finally {
                            try {
                                socket.close();
                            } catch (IOException ignored) {
                                // already gone
                            }
                        }
                    }, "fault-server-connection");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "fault-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port() + path;
    }

    public String url(String path) {
        return url("http", path);
    }

    public URI uri(String scheme, String path) {
        return URI.create(url(scheme, path));
    }

    public URI uri(String path) {
        return uri("http", path);
    }

    /** Handlers that must hold a connection open wait on this. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Reads one request (head and Content-Length body) and counts it. */
    public String readRequest(InputStream in) throws IOException {
        String headText = readHead(in);
        if (headText == null) {
            throw new IOException("request ended early");
        }
        int length = 0;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        requests.incrementAndGet();
        return headText + new String(body, StandardCharsets.UTF_8);
    }

    /** An HTTP/1.1 head up to and including its blank line; null if the stream ends first. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes and counts; an IOException here means the client hung up. */
    public void write(Socket socket, byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        bytesWritten.addAndGet(bytes.length);
    }

    public void write(Socket socket, String ascii) throws IOException {
        write(socket, ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
