package com.astra.webhooks.core.urlguard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DNS for tests: names map to the addresses we say, and can be re-pointed to simulate DNS
 * changing; IP literals are parsed the way the JVM does; everything else does not resolve.
 */
final class FakeResolver implements HostResolver {

    private final Map<String, InetAddress[]> records = new ConcurrentHashMap<>();
    final List<String> lookups = java.util.Collections.synchronizedList(new ArrayList<>());

    FakeResolver point(String name, String... addresses) {
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            try {
                resolved[i] = InetAddress.getByName(addresses[i]); // literals only: no DNS
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(addresses[i], e);
            }
        }
        records.put(name, resolved);
        return this;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        lookups.add(host);
        InetAddress[] known = records.get(host);
        if (known != null) {
            return known.clone();
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return new InetAddress[] {InetAddress.getByName(host)}; // a literal: parsed, not looked up
        }
        throw new UnknownHostException(host);
    }
}
