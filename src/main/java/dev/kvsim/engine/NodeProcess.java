package dev.kvsim.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One running redis-server process kvsim owns. */
public final class NodeProcess {

    private final NodeSpec spec;
    private final ProcessHandle handle;

    NodeProcess(NodeSpec spec, ProcessHandle handle) {
        this.spec = spec;
        this.handle = handle;
    }

    public NodeSpec spec() {
        return spec;
    }

    public String nodeId() {
        return spec.nodeId();
    }

    public int port() {
        return spec.port();
    }

    public long pid() {
        return handle.pid();
    }

    public boolean isAlive() {
        return isRunning(handle);
    }

    /**
     * Alive and not a zombie: a node whose parent (a killed kvsim) is gone stays a zombie until
     * PID 1 reaps it, and {@link ProcessHandle#isAlive()} still says true for it.
     */
    static boolean isRunning(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (java.io.IOException e) {
            return h.isAlive();
        }
    }

    /** Stops a process kvsim did not start (a leftover of a killed kvsim). */
    static void terminate(ProcessHandle h, Duration grace) {
        new NodeProcess(null, h).stop(grace);
    }

    /** SIGTERM (redis-server flushes its AOF and exits), then SIGKILL after the grace period. */
    private static final Duration TERM_RETRY = Duration.ofMillis(250);

    /** Whether the node was started as a replica of another. */
    public boolean isReplica() {
        return spec().replicaOfPort() > 0;
    }

    public void stop(Duration grace) {
        if (!isRunning(handle)) {
            return;
        }
        // A node writing its initial AOF (a replica just synced) refuses SIGTERM and goes on; the
        // rewrite takes milliseconds on a small dataset, so ask again rather than wait out the grace.
        long deadline = System.nanoTime() + grace.toNanos();
        do {
            handle.destroy();
            if (awaitExit(TERM_RETRY)) {
                return;
            }
        } while (System.nanoTime() < deadline);
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
    }

    /** SIGKILL, as a crash would. */
    public void kill() {
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
    }

    private boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(handle)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                handle.onExit().get(10, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // poll again: a zombie never "exits" for onExit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(handle);
            }
        }
        return true;
    }
}
