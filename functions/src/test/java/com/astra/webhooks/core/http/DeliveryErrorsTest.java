package com.astra.webhooks.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class DeliveryErrorsTest {

    private static String describe(Throwable t) {
        return DeliveryErrors.describe(t, "receiver.example.com", 10_000);
    }

    private static <T extends Throwable> T causedBy(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    @Test
    void timeoutsOfEveryKindReadTheSame() {
        assertEquals("timeout after 10000 ms", describe(new HttpTimeoutException("request timed out")));
        assertEquals("timeout after 10000 ms", describe(new HttpConnectTimeoutException("HTTP connect timed out")));
        assertEquals("timeout after 10000 ms",
                describe(new ExecutionException(new HttpConnectTimeoutException("HTTP connect timed out"))));
    }

    @Test
    void refusedConnectionIsRecognisedWithOrWithoutTheOsReason() {
        // What Java 17's HttpClient actually throws for a closed port:
        assertEquals("connection refused",
                describe(new ExecutionException(causedBy(new ConnectException(), new ClosedChannelException()))));
        assertEquals("connection refused", describe(new ConnectException("Connection refused")));
        assertEquals("connection failed: No route to host", describe(new ConnectException("No route to host")));
    }

    @Test
    void unresolvedHostIsADnsFailure() {
        assertEquals("dns lookup failed: receiver.example.com",
                describe(new ExecutionException(causedBy(new ConnectException(), new UnresolvedAddressException()))));
        assertEquals("dns lookup failed: receiver.example.com", describe(new UnknownHostException("x")));
    }

    @Test
    void anyTlsProblemIsATlsFailure() {
        assertEquals("tls handshake failed", describe(new SSLHandshakeException("PKIX path building failed")));
        assertEquals("tls handshake failed",
                describe(new CompletionException(causedBy(new IOException("wrapped"),
                        new SSLException("Unsupported or unrecognized SSL message")))));
    }

    @Test
    void resetsAndHangUpsAreNamed() {
        assertEquals("connection reset", describe(new SocketException("Connection reset")));
        assertEquals("connection reset", describe(new IOException("Connection reset by peer")));
        assertEquals("connection closed by receiver", describe(new EOFException("EOF reached while reading")));
        assertEquals("connection closed by receiver",
                describe(new IOException("HTTP/1.1 header parser received no bytes")));
    }

    @Test
    void anythingElseIsAnIoErrorOnOneShortLine() {
        assertEquals("io error: IOException: boom", describe(new IOException("boom")));
        assertEquals("io error: IllegalStateException", describe(new IllegalStateException()));
        String message = describe(new IOException("line one\n\tat some.Frame(Frame.java:1)\nline three " + "z".repeat(500)));
        assertFalse(message.contains("\n"), message);
        assertTrue(message.length() < 260, message);
    }

    @Test
    void survivesCyclicCauseChains() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertEquals("io error: IOException: a", describe(a));
    }
}
