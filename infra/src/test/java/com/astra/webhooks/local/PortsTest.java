package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class PortsTest {

    /**
     * A port handed to a process that binds it later must not be one the kernel can give any
     * other socket in between: ChildRunner's children once failed with "port … is in use".
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aPortForLaterIsFreeAndBelowTheKernelsEphemeralRange() throws Exception {
        int ephemeralLow = Integer.parseInt(
                Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        for (int i = 0; i < 20; i++) {
            int port = Ports.freePort();
            assertTrue(Ports.isFree(port), "port " + port + " is free");
            if (ephemeralLow > 21000) {
                assertTrue(port < ephemeralLow, port + " below " + ephemeralLow);
            }
        }
    }
}
