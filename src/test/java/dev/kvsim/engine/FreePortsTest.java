package dev.kvsim.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FreePortsTest {

    @Test
    void picksAreBelowTheEphemeralRangeFreeAndNeverTwins() throws Exception {
        int ephemeralLow = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = FreePorts.pick();
            assertTrue(port >= 10_000 && port < ephemeralLow, port + " is outside [10000, " + ephemeralLow + ")");
            assertTrue(FreePorts.isFree(port), port + " is free");
            assertTrue(seen.add(port), port + " was handed out twice");
        }
    }
}
