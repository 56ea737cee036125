package com.astra.webhooks.core.http;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns whatever the HTTP client threw into the one short sentence stored on a dispatch and shown
 * to tenants. Never a stack trace, never more than one line. The HTTP client wraps its causes
 * deeply (a refused connection is a ConnectException with no message around another one with
 * it), so the whole cause chain is examined.
 */
final class DeliveryErrors {
    private DeliveryErrors() {}

    static final String CONNECTION_REFUSED = "connection refused";
    static final String CONNECTION_RESET = "connection reset";
    static final String CONNECTION_CLOSED = "connection closed by receiver";
    static final String TLS_FAILED = "tls handshake failed";

    private static final int MAX_DETAIL = 200;

    static String timeout(long timeoutMs) {
        return "timeout after " + timeoutMs + " ms";
    }

    static String dnsFailed(String host) {
        return "dns lookup failed: " + host;
    }

    static String describe(Throwable thrown, String host, long timeoutMs) {
        List<Throwable> chain = chain(thrown);
        for (Throwable t : chain) {
            if (t instanceof HttpTimeoutException) { // includes HttpConnectTimeoutException
                return timeout(timeoutMs);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof SSLException) {
                return TLS_FAILED;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return dnsFailed(host);
            }
        }
        for (Throwable t : chain) {
            String message = lower(t.getMessage());
            if (message.contains("connection refused")) {
                return CONNECTION_REFUSED;
            }
            if (message.contains("connection reset")) {
                return CONNECTION_RESET;
            }
        }
        for (Throwable t : chain) {
            String message = lower(t.getMessage());
            // The receiver hung up cleanly before a whole answer: before the status line
            // ("header parser received no bytes") or in the middle of the body (EOF).
            if (t instanceof EOFException || message.contains("received no bytes")
                    || message.contains("connection closed")) {
                return CONNECTION_CLOSED;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof ConnectException) {
                // Java 17's HttpClient loses the OS reason (a bare ConnectException around a
                // ClosedChannelException); by far the usual cause is a closed port.
                boolean reasonLost = t.getMessage() == null || t.getMessage().equals(ConnectException.class.getName());
                return reasonLost ? CONNECTION_REFUSED : "connection failed: " + oneLine(t.getMessage());
            }
        }
        Throwable root = chain.get(0);
        String detail = root.getMessage() == null ? "" : ": " + oneLine(root.getMessage());
        return "io error: " + root.getClass().getSimpleName() + detail;
    }

    /** The throwable and its causes, wrappers (ExecutionException, CompletionException) skipped at the front. */
    private static List<Throwable> chain(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        List<Throwable> chain = new ArrayList<>();
        while (t != null && chain.size() < 16 && !chain.contains(t)) {
            chain.add(t);
            t = t.getCause();
        }
        return chain;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static String oneLine(String message) {
        String line = message.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
    }
}
