package dev.kvsim.ha;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.engine.NodeProbe;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.core.ServiceError;
import dev.kvsim.lifecycle.ShardNodes;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HA system's eyes: checks every node of every Normal instance at the profile's interval
 * (a dead process fails at once, a hung one by timeout) and, after the profile's number of
 * consecutive failures, has the shard repaired: replica promoted, node replaced or shard restarted.
 * A node busy in a script or a long command is alive ({@link BusyScripts}).
 *
 * <p>A repair that fails (a node that cannot start: no file descriptors left, a full disk) leaves
 * the instance in Error, and HA keeps watching it: it tries again after a pause that doubles
 * from {@link #FIRST_RETRY} up to {@link #LAST_RETRY}, and the instance is Normal again once
 * every node answers. An instance in Error for another reason (its create or restart failed)
 * waits for a restart, as before.
 */
@ApplicationScoped
public class HealthMonitor {

    private final HaConfig.Profile profile;
    private final InstanceProvisioner provisioner;
    private final InstanceStore store;
    private final Failover failover;
    private final BusyScripts busyScripts;
    private final KvsimClock clock;
    private final EventStore events;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kvsim-ha-monitor"));
    /** Checks block on sockets (a hung node costs a timeout), so each runs on its own thread. */
    private final ExecutorService checks = Executors.newCachedThreadPool(DaemonThreads.named("kvsim-ha-check"));
    private final ExecutorService repairs = Executors.newCachedThreadPool(DaemonThreads.named("kvsim-ha-repair"));
    private final Map<NodeProcess, Health> health = new ConcurrentHashMap<>();
    private final Set<String> repairing = ConcurrentHashMap.newKeySet();
    /** Instances whose repair failed: when HA may try again (System.nanoTime()) and the pause after that. */
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(60);

    private record Retry(long notBeforeNanos, Duration next) {
    }

    /** One node's check history: consecutive failed checks, the last good answer, its replication offset. */
    private static final class Health {
        volatile int failures;
        volatile long offset = -1;
        volatile long lastAnswerNanos = System.nanoTime();
        volatile boolean checking;
        /** This busy spell's SCRIPT KILL was sent. */
        volatile boolean killSent;
        /** Its script cannot be killed (it wrote): the node counts as failed. */
        volatile boolean unkillable;
    }

    public HealthMonitor(HaConfig config, InstanceProvisioner provisioner, InstanceStore store, Failover failover,
                         BusyScripts busyScripts, KvsimClock clock, EventStore events) {
        this.events = events;
        this.profile = config.active();
        this.provisioner = provisioner;
        this.store = store;
        this.failover = failover;
        this.busyScripts = busyScripts;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        long interval = profile.checkInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The replication offset a node reported at its last successful check, or -1. */
    public long lastOffset(NodeProcess node) {
        Health h = health.get(node);
        return h == null ? -1 : h.offset;
    }

    private void tick() {
        try {
            Set<NodeProcess> seen = ConcurrentHashMap.newKeySet();
            for (String id : provisioner.runningIds()) {
                Optional<RunningInstance> r = provisioner.running(id);
                Optional<StoredInstance> i = store.find(id);
                if (r.isEmpty() || i.isEmpty() || !watched(i.get(), r.get()) || repairing.contains(id)) {
                    continue;
                }
                boolean healthy = true;
                for (ShardNodes s : r.get().shards()) {
                    if (s.heldDown()) {
                        healthy = false;
                        continue;
                    }
                    check(s.master(), s.shard(), i.get(), seen);
                    if (s.replica() != null) {
                        check(s.replica(), s.shard(), i.get(), seen);
                    }
                    healthy &= judge(i.get(), r.get(), s);
                }
                if (healthy && i.get().status() == InstanceStatus.Error) {
                    recovered(id);
                }
            }
            health.keySet().retainAll(seen);
            retries.keySet().retainAll(provisioner.runningIds());
        } catch (RuntimeException e) {
            Log.warnf("HA monitor: %s", e.toString());
        }
    }

    /**
     * Normal instances, and those HA itself left in Error (a repair of theirs failed). An Error that
     * other code set (a restart that failed) is theirs to mend.
     */
    private boolean watched(StoredInstance i, RunningInstance r) {
        return i.status() == InstanceStatus.Normal
                || (i.status() == InstanceStatus.Error && retries.containsKey(i.instanceId()) && !r.shards().isEmpty());
    }

    /** Every node of an instance in Error answers again: it is Normal. */
    private void recovered(String instanceId) {
        try {
            store.transition(instanceId, InstanceStatus.Normal, InstanceStatus.Error);
            retries.remove(instanceId);
            Log.infof("instance %s: every node answers again: Normal", instanceId);
        } catch (ServiceError e) {
            // a restart or a delete got there first
        }
    }

    /** Whether the node answered its last check and has not failed since. */
    private boolean answering(NodeProcess node) {
        Health h = node == null ? null : health.get(node);
        return h != null && h.failures == 0 && h.offset >= 0;
    }

    /** Starts a check unless the last one is still waiting on a hung node. */
    private void check(NodeProcess node, int shard, StoredInstance i, Set<NodeProcess> seen) {
        if (node == null) {
            return;
        }
        seen.add(node);
        Health h = health.computeIfAbsent(node, n -> new Health());
        if (!node.isAlive()) {
            fail(h);
            return;
        }
        if (h.checking) {
            return;
        }
        h.checking = true;
        checks.execute(() -> {
            Optional<Duration> cpuBefore = node.cpuTime();
            try {
                h.offset = NodeProbe.offset(NodeProbe.replicationInfo(node.port(), i.internalPassword(), profile.checkTimeout()));
                h.failures = 0;
                h.lastAnswerNanos = System.nanoTime();
                h.killSent = false;
            } catch (NodeProbe.BusyException busy) {
                Duration silent = Duration.ofNanos(System.nanoTime() - h.lastAnswerNanos);
                BusyScripts.Outcome o = busyScripts.busy(i.instanceId(), shard, node, i.internalPassword(), busy, silent,
                        profile.hungAfter(), h.killSent);
                h.killSent |= o != BusyScripts.Outcome.WAITING;
                if (o == BusyScripts.Outcome.UNKILLABLE) {
                    h.unkillable = true;
                    h.failures = profile.failures();
                }
            } catch (SocketTimeoutException e) {
                if (!node.isAlive() || !BusyScripts.working(cpuBefore, node.cpuTime())) {
                    fail(h);  // silent without doing anything: stopped or hung; silent while working: busy, alive
                }
            } catch (IOException | RuntimeException e) {
                fail(h);
            } finally {
                h.checking = false;
            }
        });
    }

    private void fail(Health h) {
        h.failures++;
    }

    /**
     * A dead process after the profile's number of checks; a live one that has not answered for
     * the profile's hung-after time (a node busy with one huge command is slow, not failed).
     */
    private boolean failed(NodeProcess node) {
        Health h = node == null ? null : health.get(node);
        if (h == null || h.failures < profile.failures()) {
            return false;
        }
        if (h.unkillable) {
            return true;
        }
        return !node.isAlive() || System.nanoTime() - h.lastAnswerNanos >= profile.hungAfter().toNanos();
    }

    /**
     * Decides what the shard needs, if anything, and has it done off the monitor's thread.
     *
     * @return whether every node of the shard answers
     */
    private boolean judge(StoredInstance i, RunningInstance r, ShardNodes s) {
        boolean masterFailed = failed(s.master());
        boolean replicaFailed = failed(s.replica());
        if (!masterFailed && !replicaFailed) {
            return answering(s.master()) && (s.replica() == null || answering(s.replica()));
        }
        Retry retry = retries.get(i.instanceId());
        if (retry != null && System.nanoTime() < retry.notBeforeNanos()) {
            return false;
        }
        NodeProcess master = s.master();
        NodeProcess replica = s.replica();
        Instant detectedAt = clock.now();
        String reason = (masterFailed ? describe(master) : describe(replica));
        long masterOffset = health.containsKey(master) ? health.get(master).offset : -1;
        if (repairs.isShutdown() || !repairing.add(i.instanceId())) {
            return false;
        }
        repairs.execute(() -> {
            try {
                store.transition(i.instanceId(), InstanceStatus.HASwitching, InstanceStatus.Normal, InstanceStatus.Error);
            } catch (ServiceError e) {
                repairing.remove(i.instanceId());
                return;  // a restart or switchover got there first
            }
            r.nodesLock().lock();
            try {
                sleep(profile.switchDelay().toMillis());
                StoredInstance fresh = store.require(i.instanceId());
                if (masterFailed && replica == null) {
                    failover.replaceSingleNode(fresh, r, reason, detectedAt);
                } else if (masterFailed && replicaFailed) {
                    failover.restartShard(fresh, r, s.shard(), reason, detectedAt);
                } else if (masterFailed) {
                    failover.promoteReplica(fresh, r, s.shard(), reason, detectedAt, masterOffset);
                } else {
                    failover.replaceReplica(fresh, r, s.shard(), reason, detectedAt);
                }
                store.setStatus(i.instanceId(), InstanceStatus.Normal);
                retries.remove(i.instanceId());
            } catch (RuntimeException e) {
                Duration pause = retryAfter(i.instanceId());
                Log.errorf("instance %s: HA repair of shard %d failed: %s; HA tries again in %d s", i.instanceId(),
                        s.shard(), e.getMessage(), pause.toSeconds());
                store.setStatus(i.instanceId(), InstanceStatus.Error);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("shard", s.shard());
                d.put("reason", reason);
                d.put("error", e.getMessage());
                d.put("retryInMs", pause.toMillis());
                events.record(i.instanceId(), Event.REPAIR_FAILED, d);
            } finally {
                r.nodesLock().unlock();
                health.remove(master);
                if (replica != null) {
                    health.remove(replica);
                }
                repairing.remove(i.instanceId());
            }
        });
        return false;
    }

    /** The pause before the next try after a failed repair: doubling, up to {@link #LAST_RETRY}. */
    private Duration retryAfter(String instanceId) {
        Retry last = retries.get(instanceId);
        Duration pause = last == null ? FIRST_RETRY : last.next();
        Duration next = pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
        retries.put(instanceId, new Retry(System.nanoTime() + pause.toNanos(), next));
        return pause;
    }

    private String describe(NodeProcess node) {
        Health h = health.get(node);
        if (h != null && h.unkillable && node.isAlive()) {
            return "node busy in a script that wrote (UNKILLABLE)";
        }
        return node.isAlive() ? (node.isPaused() ? "node hung (paused)" : "node not answering") : "node process died";
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Before the nodes stop at shutdown: no repair may start a node that would outlive kvsim. */
    void onStop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
        repairs.shutdown();
        try {
            repairs.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checks.shutdownNow();
    }
}
