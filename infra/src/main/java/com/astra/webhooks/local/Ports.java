package com.astra.webhooks.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports: the runner binds nothing but 127.0.0.1, so that is where it checks. */
final class Ports {

    private Ports() {}

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A free port for a process that binds it later (dynoxide, a child runner). Chosen below the
     * kernel's ephemeral range: a port from there (what binding port 0 gives) is also handed to
     * other programs' outgoing connections and port-0 listeners, and one of them can take it
     * between this check and the later bind. A port below the range is taken only by a program
     * that names it.
     */
    static int freePort() {
        int ephemeralLow = ephemeralRangeStart();
        if (ephemeralLow - CHOSEN_LOW >= 1000) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 50; i++) {
                int port = random.nextInt(CHOSEN_LOW, ephemeralLow);
                if (isFree(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Above the well-known and most registered services' ports. */
    private static final int CHOSEN_LOW = 20000;

    /**
     * Linux says where its range starts; elsewhere 32768 is at or below the default start (macOS
     * and Windows begin at 49152).
     */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /**
     * Refuses a taken port before an emulator starts on it: otherwise a readiness probe would happily
     * talk to whatever already listens there. The message names both ways out.
     */
    static void requireFree(int port, String usualSuspect, String option, String endpointSetting) {
        if (!isFree(port)) {
            throw new LocalRunner.StartupException("port " + port + " is in use (another astra-local or " + usualSuspect
                    + "?); pass " + option + " N, or " + endpointSetting + "=http://127.0.0.1:" + port + " to use it");
        }
    }
}
