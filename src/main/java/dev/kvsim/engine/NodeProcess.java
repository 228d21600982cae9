package dev.kvsim.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One running redis-server process kvsim owns. */
public final class NodeProcess {

    private final NodeSpec spec;
    private final ProcessHandle handle;
    /**
     * The node's watchdog ({@link NodeWatchdog}), null for a leftover of an earlier kvsim. Held so
     * that kvsim's end of the watchdog's pipe stays open for as long as the node runs.
     */
    private final Process watchdog;

    NodeProcess(NodeSpec spec, ProcessHandle handle, Process watchdog) {
        this.spec = spec;
        this.handle = handle;
        this.watchdog = watchdog;
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

    /** Whether the process is stopped by a signal (state T in /proc): a paused node. */
    static boolean isStopped(ProcessHandle h) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return close >= 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'T';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The CPU time the process has used, where the platform tells it: a node busy with a long command
     * or a script uses CPU time, a stopped (or otherwise hung) one does not.
     */
    public java.util.Optional<Duration> cpuTime() {
        return handle.info().totalCpuDuration();
    }

    /** Stops a process kvsim did not start (a leftover of a killed kvsim). */
    static void terminate(ProcessHandle h, Duration grace) {
        new NodeProcess(null, h, null).stop(grace);
    }

    /** SIGTERM (redis-server flushes its AOF and exits), then SIGKILL after the grace period. */
    private static final Duration TERM_RETRY = Duration.ofMillis(250);

    public void stop(Duration grace) {
        if (!isRunning(handle)) {
            return;
        }
        if (paused || isStopped(handle)) {
            resume();  // a stopped process (ours, or a leftover a killed kvsim had paused) acts on SIGTERM only once continued
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

    private volatile boolean paused;

    /** SIGSTOP: the process hangs, holding its connections open, as a stuck node would. */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        if (isRunning(handle)) {
            signal("CONT");
        }
        paused = false;
    }

    public boolean isPaused() {
        return paused;
    }

    /** The JDK sends only TERM and KILL; STOP and CONT go through kill(1). */
    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(handle.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + handle.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot signal node " + nodeId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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
