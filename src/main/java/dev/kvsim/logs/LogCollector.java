package dev.kvsim.logs;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.engine.NodeClients;
import dev.kvsim.engine.NodeConfigWriter;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.instance.InstanceDeleted;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.lifecycle.ShardNodes;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Collects, once a second, what the nodes log: each node's new SLOWLOG entries (by the engine's entry IDs, on a
 * kept connection) and the new lines of its log file. The nodes stamp both with this machine's time; they are
 * stamped here with kvsim's clock as they are collected, so that they line up with kvsim's events after a move of the
 * clock (to within the second they were collected in).
 */
@ApplicationScoped
public class LogCollector {

    private final InstanceProvisioner provisioner;
    private final NodeManager nodeManager;
    private final KvsimClock clock;
    private final LogBuffers buffers = new LogBuffers();
    /** Per node: its log file's tail, and the last slow log entry taken from its current process. */
    private final Map<String, NodeLogTail> tails = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastSlowEntry = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private NodeClients nodes;

    public LogCollector(InstanceProvisioner provisioner, NodeManager nodeManager, KvsimClock clock) {
        this.provisioner = provisioner;
        this.nodeManager = nodeManager;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        nodes = new NodeClients(nodeManager, "logs");
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kvsim-logs"));
        timer.scheduleWithFixedDelay(this::collectSafely, 1, 1, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            nodes.close();
        }
    }

    void onInstanceDeleted(@Observes InstanceDeleted event) {
        buffers.forget(event.instanceId());
    }

    LogBuffers buffers() {
        return buffers;
    }

    private void collectSafely() {
        try {
            collect();
        } catch (RuntimeException e) {
            Log.warnf(e, "logs: a collection failed");
        }
    }

    /** One pass over every running node. */
    void collect() {
        Duration offset = Duration.between(Instant.now(), clock.now());
        Set<String> live = new HashSet<>();
        for (String id : provisioner.runningIds()) {
            provisioner.running(id).ifPresent(r -> collect(r, offset, live));
        }
        nodes.retain(live);
        tails.keySet().retainAll(live);
        lastSlowEntry.keySet().retainAll(live);
    }

    private void collect(RunningInstance r, Duration offset, Set<String> live) {
        String id = r.instanceId();
        List<RunningLogRecord> lines = new ArrayList<>();
        for (ShardNodes s : r.shards()) {
            for (NodeProcess n : new NodeProcess[]{s.master(), s.replica()}) {
                if (n == null) {
                    continue;
                }
                live.add(n.nodeId());
                String role = n == s.master() ? "master" : "replica";
                lines.addAll(logLines(id, s.shard(), n, role, offset));
                var poll = nodes.call(n, client -> slowLog(client, n));
                if (poll != null) {
                    poll.whenComplete((reply, error) -> {
                        if (reply != null) {
                            buffers.addSlow(id, slowEntries(id, s.shard(), n, role, reply, offset));
                        }
                    });
                }
            }
        }
        buffers.addLines(id, lines);
    }

    private List<RunningLogRecord> logLines(String id, int shard, NodeProcess n, String role, Duration offset) {
        NodeLogTail tail = tails.computeIfAbsent(n.nodeId(),
                k -> new NodeLogTail(provisioner.nodeDir(id, n.nodeId()).resolve(NodeConfigWriter.LOG_FILE)));
        ZoneId zone = ZoneId.systemDefault();
        List<RunningLogRecord> out = new ArrayList<>();
        for (String line : tail.newLines()) {
            NodeLogLine.Parsed p = NodeLogLine.parse(line, zone);
            if (p != null) {
                out.add(new RunningLogRecord(p.at().plus(offset), RunningLogRecord.NODE, n.nodeId(), shard, role, p.level(),
                        p.message()));
            } else if (!out.isEmpty()) {
                // a line without the engine's prefix continues the one before (a multi-line message)
                RunningLogRecord last = out.remove(out.size() - 1);
                out.add(new RunningLogRecord(last.at(), last.source(), last.nodeId(), last.shard(), last.role(), last.level(),
                        last.content() + "\n" + line));
            }
        }
        return out;
    }

    /**
     * The node's recent SLOWLOG entries: a few, or all it keeps (up to the service's slowlog-max-len, 1,024) when those
     * few are all new (a burst of slow commands, or the first poll of this process).
     */
    private Response slowLog(dev.kvsim.engine.NodeClient client, NodeProcess n) {
        long[] last = lastSlowEntry.get(n.nodeId());
        boolean known = last != null && last[0] == n.pid() && last[1] >= 0;
        Response few = client.send(Command.SLOWLOG, "GET", known ? "16" : "1024");
        if (!known || few.size() < 16 || few.get(few.size() - 1).get(0).toLong() <= last[1] + 1) {
            return few;
        }
        return client.send(Command.SLOWLOG, "GET", "1024");
    }

    /** The entries newer than the last taken from this process, oldest first (SLOWLOG GET lists the newest first). */
    private List<SlowLogRecord> slowEntries(String id, int shard, NodeProcess n, String role, Response reply, Duration offset) {
        long[] last = lastSlowEntry.compute(n.nodeId(), (k, v) -> v == null || v[0] != n.pid() ? new long[]{n.pid(), -1} : v);
        List<SlowLogRecord> out = new ArrayList<>();
        long newest = last[1];
        for (int i = reply.size() - 1; i >= 0; i--) {
            Response e = reply.get(i);
            long entryId = e.get(0).toLong();
            if (entryId <= last[1]) {
                continue;
            }
            newest = Math.max(newest, entryId);
            String clientName = e.size() > 5 && e.get(5) != null ? e.get(5).toString() : null;
            if (clientName != null && clientName.startsWith(NodeClients.NAME_PREFIX)) {
                continue;  // kvsim's own polling (this one, and monitoring's)
            }
            List<String> command = new ArrayList<>();
            for (Response arg : e.get(3)) {
                command.add(arg.toString());
            }
            out.add(new SlowLogRecord(id, n.nodeId(), shard, role, entryId,
                    Instant.ofEpochSecond(e.get(1).toLong()).plus(offset), e.get(2).toLong(), List.copyOf(command),
                    e.size() > 4 && e.get(4) != null ? e.get(4).toString() : null, clientName));
        }
        last[1] = newest;
        return out;
    }
}
