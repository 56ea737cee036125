package com.astra.webhooks.core.urlguard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into addresses. Injectable so tests can make "a name that resolves to
 * 127.0.0.1" without touching real DNS; production uses the JVM resolver, which is also the one
 * {@link java.net.http.HttpClient} uses, so the guard and the connection see the same answer
 * (and, through the JVM's positive DNS cache, usually the very same lookup).
 */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    /** All addresses of {@code host}; literal IP addresses come back as themselves without DNS. */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
