package dev.kvsim.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback port helpers: every server kvsim starts binds 127.0.0.1.
 *
 * <p>A picked port is bound by its server only some milliseconds later (a node's process has to
 * start first). A port from the kernel's ephemeral range may be taken meanwhile as the local port of
 * one of the many outgoing connections kvsim and its clients open, and the node then fails with
 * "Address already in use". So ports are picked below that range, where the kernel never assigns
 * outgoing connections, and a port handed out is not handed out again for a while.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Below this the ports of well-known services crowd; the pick range starts here. */
    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 200;
    private static final long REUSE_AFTER_NANOS = 120_000_000_000L;
    private static final int REMEMBERED = 4_096;

    /** Ports handed out recently, with when: a node that has not bound its port yet must not get a twin. */
    private static final Map<Integer, Long> handedOut = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
            return size() > REMEMBERED;
        }
    };

    private static final int HIGHEST = ephemeralLow() - 1;

    private FreePorts() {
    }

    /** A port free now, outside the ephemeral range when the machine leaves room below it. */
    public static synchronized int pick() {
        if (HIGHEST - LOWEST >= 1_000) {
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
                if (!recentlyHandedOut(port) && isFree(port)) {
                    return handOut(port);
                }
            }
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = kernelPick();
            if (!recentlyHandedOut(port)) {
                return handOut(port);
            }
        }
        return handOut(kernelPick());
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelPick() {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    private static boolean recentlyHandedOut(int port) {
        Long at = handedOut.get(port);
        return at != null && System.nanoTime() - at < REUSE_AFTER_NANOS;
    }

    private static int handOut(int port) {
        handedOut.remove(port);
        handedOut.put(port, System.nanoTime());
        return port;
    }

    /** The low end of the kernel's ephemeral range (Linux's default when it cannot be read). */
    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
