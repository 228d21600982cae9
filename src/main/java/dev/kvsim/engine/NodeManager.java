package dev.kvsim.engine;

import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Starts, watches and stops the redis-server processes behind every instance. Keeps a registry of
 * every process it started so that none outlives kvsim, and reaps the ones a killed kvsim left.
 */
@ApplicationScoped
public class NodeManager {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final EngineLocator engines;
    private final Vertx vertx;
    private final Path instancesDir;
    private final Map<String, NodeProcess> running = new ConcurrentHashMap<>();

    public NodeManager(EngineLocator engines, Vertx vertx, @ConfigProperty(name = "kvsim.data-dir") Path dataDir) {
        this.engines = engines;
        this.vertx = vertx;
        this.instancesDir = dataDir.resolve("instances");
    }

    public Path instancesDir() {
        return instancesDir;
    }

    /** Starts a node and returns once it answers PING (and, for a replica, once its link is up). */
    public NodeProcess start(NodeSpec spec) {
        NodeProcess node = launch(spec);
        try {
            awaitReady(node);
            if (spec.replicaOfPort() > 0) {
                replicate(node);
                awaitReplicationUp(node);
            }
        } catch (RuntimeException e) {
            stop(node);
            throw e;
        }
        return node;
    }

    /**
     * Starts the node's process without waiting for it, so that several nodes start side by side;
     * {@link #awaitReady}, then for a replica {@link #replicate} and {@link #awaitReplicationUp}, follow.
     */
    public NodeProcess launch(NodeSpec requested) {
        NodeSpec spec = requested.port() > 0 ? requested : requested.withPort(FreePorts.pick());
        try {
            Path conf = NodeConfigWriter.write(spec);
            Files.deleteIfExists(spec.dir().resolve(NodeConfigWriter.PID_FILE));
            NodeWatchdog.Started started = NodeWatchdog.start(spec.dir(),
                    List.of(engines.engine().path().toAbsolutePath().toString(), conf.toAbsolutePath().toString()));
            NodeProcess node = new NodeProcess(spec, started.node(), started.watchdog());
            running.put(spec.nodeId(), node);
            return node;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node " + spec.nodeId() + ": " + e.getMessage() + " "
                    + logTail(spec), e);
        }
    }

    /**
     * REPLICAOF the master of the replica's spec, once both answer PING. Given as a command rather
     * than in redis.conf: a replica started beside its master would otherwise fail its first connect
     * and retry only a second later; the command connects at once.
     */
    public void replicate(NodeProcess replica) {
        try (NodeClient client = client(replica)) {
            client.send(Command.REPLICAOF, "127.0.0.1", Integer.toString(replica.spec().replicaOfPort()));
        }
    }

    public void stop(NodeProcess node) {
        node.stop(STOP_GRACE);
        running.remove(node.nodeId(), node);
    }

    /** SIGKILL: a crash, for tests and fault injection. */
    public void kill(NodeProcess node) {
        node.kill();
        running.remove(node.nodeId(), node);
    }

    public NodeClient client(NodeProcess node) {
        return NodeClient.connect(vertx, node.port(), node.spec().internalPassword());
    }

    /** Readiness by PING, polled; fails fast with the node's own last log lines if it exits. */
    public void awaitReady(NodeProcess node) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IllegalStateException("node " + node.nodeId() + " exited during start: " + logTail(node.spec()));
            }
            try (NodeClient client = client(node)) {
                if ("PONG".equals(client.send(Command.PING).toString())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(10);
        }
        throw new IllegalStateException("node " + node.nodeId() + " did not answer PING within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()));
    }

    /** Polls INFO replication on the replica until master_link_status:up. */
    public void awaitReplicationUp(NodeProcess replica) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (NodeClient client = client(replica)) {
            while (System.nanoTime() < deadline) {
                if (client.info("replication").contains("master_link_status:up")) {
                    return;
                }
                sleep(10);
            }
        }
        throw new IllegalStateException("replica " + replica.nodeId() + " did not sync within "
                + READY_TIMEOUT.toSeconds() + " s: " + logTail(replica.spec()));
    }

    /**
     * Stops redis-server processes that a previous kvsim (killed before it could stop them) left
     * running in the data directory. A process is ours when its pid file is in a node directory and
     * its working directory is that node directory.
     */
    void onStart(@Observes StartupEvent event) {
        int reaped = reapLeftovers();
        if (reaped > 0) {
            Log.infof("stopped %d node process(es) left by a previous kvsim", reaped);
        }
    }

    public int reapLeftovers() {
        if (!Files.isDirectory(instancesDir)) {
            return 0;
        }
        List<Path> pidFiles = new ArrayList<>();
        try (Stream<Path> files = Files.find(instancesDir, 3,
                (p, a) -> p.getFileName().toString().equals(NodeConfigWriter.PID_FILE))) {
            files.forEach(pidFiles::add);
        } catch (IOException e) {
            Log.warnf("cannot scan %s for leftover nodes: %s", instancesDir, e.getMessage());
        }
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (Path pidFile : pidFiles) {
            leftoverProcess(pidFile).ifPresent(h -> {
                Log.infof("stopping leftover node process %d in %s", h.pid(), pidFile.getParent());
                leftovers.add(h);
            });
        }
        leftovers.parallelStream().forEach(h -> NodeProcess.terminate(h, STOP_GRACE));
        for (Path pidFile : pidFiles) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // a stale pid file does no harm: the next start overwrites it
            }
        }
        int reaped = leftovers.size();
        return reaped;
    }

    private static Optional<ProcessHandle> leftoverProcess(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(NodeProcess::isRunning);
            if (handle.isEmpty()) {
                return Optional.empty();
            }
            Path cwd = Path.of("/proc", Long.toString(pid), "cwd");
            if (Files.exists(cwd)) {
                return Files.readSymbolicLink(cwd).equals(pidFile.getParent().toAbsolutePath().normalize())
                        ? handle : Optional.empty();
            }
            // no /proc (macOS): trust the command name
            return handle.filter(h -> h.info().command().map(c -> c.contains("redis-server")
                    || c.contains("valkey-server")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String logTail(NodeSpec spec) {
        for (String name : new String[]{NodeConfigWriter.LOG_FILE, "stdout.log"}) {
            Path log = spec.dir().resolve(name);
            try {
                if (Files.size(log) > 0) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
                }
            } catch (IOException ignored) {
                // try the next file
            }
        }
        return "(no log output)";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** No node outlives kvsim: stop every process still registered. */
    @PreDestroy
    void stopAll() {
        List<NodeProcess> nodes = new ArrayList<>(running.values());
        nodes.parallelStream().forEach(this::stop);
    }
}
