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
        return handle.isAlive();
    }

    /** SIGTERM (redis-server flushes its AOF and exits), then SIGKILL after the grace period. */
    public void stop(Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        if (!awaitExit(grace)) {
            handle.destroyForcibly();
            awaitExit(Duration.ofSeconds(5));
        }
    }

    /** SIGKILL, as a crash would. */
    public void kill() {
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
    }

    private boolean awaitExit(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
