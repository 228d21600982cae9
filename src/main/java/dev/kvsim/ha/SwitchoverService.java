package dev.kvsim.ha;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.engine.NodeClient;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.faults.command.ErrorReplyFault;
import dev.kvsim.faults.model.FaultMatch;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.model.FaultTarget;
import dev.kvsim.faults.model.ProxyFaults;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.MaintenanceWindow;
import dev.kvsim.instance.MaintenanceWindows;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.core.ServiceError;
import dev.kvsim.lifecycle.ShardNodes;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Switchover on request ({@code SwitchInstanceHA}): the replica becomes the master and the old
 * master its replica. AvailablePriority switches at once (what the replica lacks is lost);
 * ReliabilityPriority has the engine pause writes until the replica has caught up ({@code FAILOVER
 * TIMEOUT}), or fails. Afterwards writes answer READONLY for the read-only window.
 */
@ApplicationScoped
public class SwitchoverService {

    static final String READONLY = "READONLY You can't write against a read only replica.";
    /** The engine lifts the hold by itself after this long, should kvsim not get to it. */
    private static final long HOLD_WRITES_MS = 10_000;
    private static final java.time.Duration MEASURE_TIMEOUT = java.time.Duration.ofSeconds(2);

    private final InstanceStore store;
    private final InstanceProvisioner provisioner;
    private final NodeManager nodes;
    private final Failover failover;
    private final EventStore events;
    private final KvsimClock clock;
    private final HaConfig.Profile profile;
    private final MaintenanceWindows windows;
    /** Switchovers waiting for their maintenance window, on kvsim's clock; one per instance. */
    private final Map<String, Pending> scheduled = new ConcurrentHashMap<>();
    /** A switchover waiting for the window. */
    private static final class Pending {
        volatile KvsimClock.Timer timer;
    }

    /** Ends the read-only window after a switch: the engine's timing, on real time. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("kvsim-switchover"));

    public SwitchoverService(InstanceStore store, InstanceProvisioner provisioner, NodeManager nodes, Failover failover,
                             EventStore events, KvsimClock clock, HaConfig ha, MaintenanceWindows windows) {
        this.store = store;
        this.provisioner = provisioner;
        this.nodes = nodes;
        this.failover = failover;
        this.events = events;
        this.clock = clock;
        this.profile = ha.active();
        this.windows = windows;
    }

    void onStop(@Observes ShutdownEvent event) {
        timers.shutdownNow();
    }

    public MaintenanceWindow windowOf(String instanceId) {
        return windows.of(instanceId);
    }

    /**
     * Sets the instance's window (ModifyInstanceMaintainTime); a switchover already scheduled keeps its time.
     *
     * @throws ServiceError 404 for an unknown instance, 400 for a malformed or too short window
     */
    public MaintenanceWindow setWindow(String instanceId, String start, String end) {
        store.require(instanceId);
        MaintenanceWindow w = MaintenanceWindow.parse(start, end);
        store.setMaintenanceWindow(instanceId, w);
        return w;
    }

    /** Validates, then switches now (switchMode 0) or schedules for the maintenance window (1). */
    public Map<String, Object> request(String instanceId, SwitchoverRequest req) {
        StoredInstance i = store.require(instanceId);
        SwitchoverRequest r = validate(i, req == null ? new SwitchoverRequest(null, null, null, null) : req);
        if (r.switchMode() == 1) {
            Instant at = windowOf(instanceId).nextOpening(clock.now());
            if (i.status() != InstanceStatus.Normal) {
                throw ServiceError.wrongState(instanceId, i.status());
            }
            Pending pending = new Pending();
            Pending previous = scheduled.put(instanceId, pending);
            if (previous != null && previous.timer != null) {
                previous.timer.cancel();  // the newer request replaces it
            }
            pending.timer = clock.schedule(at, () -> {
                if (scheduled.remove(instanceId, pending)) {
                    runScheduled(instanceId, r);
                }
            });
            Map<String, Object> d = describe(r);
            d.put("executeAt", at.toString());
            events.record(instanceId, Event.SWITCHOVER_SCHEDULED, d);
            Map<String, Object> answer = new LinkedHashMap<>(d);
            answer.put("status", "Scheduled");
            return answer;
        }
        return switchNow(instanceId, r);
    }

    private void runScheduled(String instanceId, SwitchoverRequest r) {
        try {
            switchNow(instanceId, r);
        } catch (RuntimeException e) {
            Log.warnf("instance %s: scheduled switchover failed: %s", instanceId, e.getMessage());
        }
    }

    private SwitchoverRequest validate(StoredInstance i, SwitchoverRequest req) {
        if (i.nodes().stream().noneMatch(n -> !n.isMaster())) {
            throw new ServiceError(400, "InvalidInstanceType.SingleReplica",
                    "Instance " + i.instanceId() + " is a single-replica instance: it has no replica to switch over to.");
        }
        String type = req.switchType() == null ? SwitchoverRequest.AVAILABLE : req.switchType();
        if (!type.equals(SwitchoverRequest.AVAILABLE) && !type.equals(SwitchoverRequest.RELIABLE)) {
            throw ServiceError.invalid("switchType must be AvailablePriority or ReliabilityPriority; got '" + type + "'.");
        }
        int mode = req.switchMode() == null ? 0 : req.switchMode();
        if (mode != 0 && mode != 1) {
            throw ServiceError.invalid("switchMode must be 0 (now) or 1 (in the maintenance window); got " + mode + ".");
        }
        int shards = (int) i.nodes().stream().mapToInt(n -> n.shard()).distinct().count();
        int shard = req.shard() == null ? 0 : req.shard();
        if (shard < 0 || shard >= shards) {
            throw ServiceError.invalid("shard must be between 0 and " + (shards - 1) + "; got " + shard + ".");
        }
        if (req.readOnlyMs() != null && (req.readOnlyMs() < 0 || req.readOnlyMs() > 30_000)) {
            throw ServiceError.invalid("readOnlyMs must be between 0 and 30000 (the service's read-only time is up to 30 s); got "
                    + req.readOnlyMs() + ".");
        }
        return new SwitchoverRequest(type, mode, shard, req.readOnlyMs());
    }

    private Map<String, Object> switchNow(String instanceId, SwitchoverRequest req) {
        RunningInstance r = provisioner.running(instanceId).orElseThrow(() ->
                new ServiceError(409, "IncorrectDBInstanceState", "Instance " + instanceId + " is not running."));
        StoredInstance i = store.transition(instanceId, InstanceStatus.HASwitching, InstanceStatus.Normal);
        Instant startedAt = clock.now();
        r.nodesLock().lock();
        try {
            Map<String, Object> d = describe(req);
            d.put("startedAt", startedAt.toString());
            long readOnly = req.readOnlyMs() != null ? req.readOnlyMs() : profile.readOnlyWindow().toMillis();
            if (req.switchType().equals(SwitchoverRequest.RELIABLE)) {
                reliable(i, r, req.shard(), d, readOnly);
            } else {
                available(i, r, req.shard(), d, readOnly);
            }
            d.put("switchedAt", clock.now().toString());
            d.put("readOnlyMs", readOnly);
            failover.saveRoles(store.require(instanceId), r);
            events.record(instanceId, Event.SWITCHOVER, d);
            return d;
        } catch (ServiceError e) {
            Map<String, Object> d = describe(req);
            d.put("error", e.getMessage());
            events.record(instanceId, Event.SWITCHOVER_FAILED, d);
            throw e;
        } finally {
            r.nodesLock().unlock();
            store.setStatus(instanceId, InstanceStatus.Normal);
        }
    }

    /**
     * Promote now; the old master follows the new one and drops what the replica had not received.
     * First the old master holds every write (CLIENT PAUSE WRITE): no write lands on it once the
     * replica is promoted, and its offset stands still, so that the two offsets compare at the same
     * moment and the lost part of its stream can be read and counted ({@link LostWrites}).
     */
    private void available(StoredInstance i, RunningInstance r, int shard, Map<String, Object> d, long readOnlyMs) {
        ShardNodes s = r.shard(shard);
        NodeProcess oldMaster = s.master();
        NodeProcess replica = s.replica();
        boolean held = holdWrites(oldMaster);
        try (NodeClient c = nodes.client(replica)) {
            c.send(Command.REPLICAOF, "NO", "ONE");
        }
        long replicaOffset = failover.offsetOf(replica, i);  // what the new master kept
        LostWrites.Lost lost = held ? measure(oldMaster, i, replicaOffset) : null;
        swapRoles(i, r, shard, readOnlyMs);
        try (NodeClient c = nodes.client(oldMaster)) {
            c.send(Command.REPLICAOF, "127.0.0.1", Integer.toString(replica.port()));
            if (held) {
                // after REPLICAOF: a write the pause still holds is refused as on any replica, never applied
                c.send(Command.CLIENT, "UNPAUSE");
            }
        }
        if (lost == null) {
            offsets(d, oldMaster, replica, -1, replicaOffset);
            d.put("lostWrites", null);
        } else {
            offsets(d, oldMaster, replica, lost.masterOffset(), replicaOffset);
            d.put("lostWrites", lost.writes());
        }
    }

    /** CLIENT PAUSE WRITE on the old master; false when it does not answer (a hung master is switched all the same). */
    private boolean holdWrites(NodeProcess master) {
        try (NodeClient c = nodes.client(master)) {
            c.send(Command.CLIENT, "PAUSE", Long.toString(HOLD_WRITES_MS), "WRITE");
            return true;
        } catch (NodeClient.NodeCommandException e) {
            Log.warnf("node %s: cannot hold its writes for the switch (%s); what is lost is not measured", master.nodeId(),
                    e.getMessage());
            return false;
        }
    }

    private LostWrites.Lost measure(NodeProcess oldMaster, StoredInstance i, long replicaOffset) {
        try {
            return LostWrites.measure(oldMaster.port(), i.internalPassword(), replicaOffset, MEASURE_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            Log.warnf("node %s: cannot read what the switch lost: %s", oldMaster.nodeId(), e.getMessage());
            return null;
        }
    }

    /** The engine's own FAILOVER: writes pause, the replica catches up, then the roles swap; or nothing happens. */
    private void reliable(StoredInstance i, RunningInstance r, int shard, Map<String, Object> d, long readOnlyMs) {
        ShardNodes s = r.shard(shard);
        NodeProcess oldMaster = s.master();
        NodeProcess replica = s.replica();
        long timeoutMs = profile.reliabilityTimeout().toMillis();
        long masterBefore = failover.offsetOf(oldMaster, i);
        long replicaBefore = failover.offsetOf(replica, i);
        try (NodeClient c = nodes.client(oldMaster)) {
            c.send(Command.FAILOVER, "TIMEOUT", Long.toString(timeoutMs));
        } catch (NodeClient.NodeCommandException e) {
            throw new ServiceError(409, "SwitchFailed.ReplicaNotReady", "ReliabilityPriority switchover refused: "
                    + e.getMessage() + " The replica must be connected and catching up; nothing was switched.");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + 2_000);
        while (true) {
            Map<String, String> info = info(oldMaster, i);
            if ("slave".equals(info.get("role"))) {
                break;
            }
            if ("no-failover".equals(info.get("master_failover_state")) || System.nanoTime() > deadline) {
                throw new ServiceError(409, "SwitchFailed.ReplicaLagging", "ReliabilityPriority switchover failed: the replica"
                        + " did not catch up with the master within " + timeoutMs + " ms (master offset " + known(masterBefore)
                        + ", replica offset " + known(replicaBefore) + "); nothing was switched. Retry when writes are"
                        + " lighter, or use AvailablePriority.");
            }
            sleep(10);
        }
        long offset = failover.offsetOf(replica, i);
        swapRoles(i, r, shard, readOnlyMs);
        offsets(d, oldMaster, replica, offset, offset);
        d.put("lostWrites", 0L);
    }

    /** The replica is the master now: the proxy follows, after the read-only window is in place. */
    private void swapRoles(StoredInstance i, RunningInstance r, int shard, long readOnlyMs) {
        ShardNodes s = r.shard(shard);
        s.set(s.replica(), s.master());
        readOnlyWindow(r, i, shard, readOnlyMs);  // before any client reaches the new master
        provisioner.reroute(r, i.internalPassword(), shard);
    }

    /** Writes to the shard answer READONLY for a while, as on the service's data nodes after a switch. */
    private void readOnlyWindow(RunningInstance r, StoredInstance i, int shard, long ms) {
        if (ms <= 0) {
            return;
        }
        FaultSpec spec = new FaultSpec("switchover-read-only", i.instanceId(), "error_reply",
                i.isCluster() ? new FaultTarget(shard, null, null) : FaultTarget.INSTANCE, null, 1.0,
                Map.of("message", READONLY), new FaultMatch(List.of("@write"), null), null, ms, 0);
        ErrorReplyFault readOnly = new ErrorReplyFault(spec);
        ProxyFaults faults = r.proxy().faults();
        faults.add(readOnly);
        timers.schedule(() -> faults.remove(readOnly), ms, TimeUnit.MILLISECONDS);
    }

    private Map<String, String> info(NodeProcess node, StoredInstance i) {
        try {
            return failover.replicationInfo(node, i);
        } catch (IOException e) {
            throw new ServiceError(500, "InternalError", "node " + node.nodeId() + " did not answer: " + e.getMessage());
        }
    }

    /** An offset, or "unknown" for a node that did not answer. */
    private static String known(long offset) {
        return offset < 0 ? "unknown (the node does not answer)" : Long.toString(offset);
    }

    private static void offsets(Map<String, Object> d, NodeProcess oldMaster, NodeProcess newMaster, long masterOffset,
                                long replicaOffset) {
        d.put("oldMaster", oldMaster.nodeId());
        d.put("newMaster", newMaster.nodeId());
        d.put("masterOffset", masterOffset);
        d.put("replicaOffset", replicaOffset);
        d.put("lostBytes", masterOffset < 0 || replicaOffset < 0 ? null : Math.max(0, masterOffset - replicaOffset));
    }

    private static Map<String, Object> describe(SwitchoverRequest req) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("switchType", req.switchType());
        d.put("switchMode", req.switchMode());
        d.put("shard", req.shard());
        return d;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceError(503, "InternalError", "interrupted");
        }
    }
}
