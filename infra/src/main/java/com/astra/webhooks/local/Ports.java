package com.astra.webhooks.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

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

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
