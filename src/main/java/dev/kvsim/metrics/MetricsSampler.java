package dev.kvsim.metrics;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.engine.NodeClients;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples every running instance once a second of real time, stamped with kvsim's clock (a jump of the clock leaves
 * a gap; nothing is back-filled): the proxy's counters, and each node's INFO and process CPU, polled in parallel
 * on kept connections. What a node does not answer within the second is missing from that second.
 */
@ApplicationScoped
public class MetricsSampler {

    /** How long a second's poll waits for the nodes. */
    private static final long NODE_WAIT_MS = 700;

    private final InstanceProvisioner provisioner;
    private final NodeManager nodeManager;
    private final KvsimClock clock;
    private final MetricsHistory history;
    private final PrometheusGauges gauges;
    private final boolean enabled;
    private final Map<String, InstanceState> states = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private NodeClients nodes;
    private long lastStamp = Long.MIN_VALUE;

    /** What the previous second left to rate this one against. */
    private static final class InstanceState {
        InstanceValues.ProxyReading proxy;
        final Map<String, NodeReading> nodes = new HashMap<>();
    }

    public MetricsSampler(InstanceProvisioner provisioner, NodeManager nodeManager, KvsimClock clock,
                          MetricsHistory history, PrometheusGauges gauges,
                          @ConfigProperty(name = "kvsim.metrics.enabled", defaultValue = "true") boolean enabled) {
        this.provisioner = provisioner;
        this.nodeManager = nodeManager;
        this.clock = clock;
        this.history = history;
        this.gauges = gauges;
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        nodes = new NodeClients(nodeManager, "monitor");
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kvsim-metrics"));
        timer.scheduleAtFixedRate(this::tick, 1000 - System.currentTimeMillis() % 1000, 1000, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nodes.close();
        history.storeOpenMinutes();
    }

    void onInstanceDeleted(@Observes InstanceDeleted event) {
        states.remove(event.instanceId());
        gauges.remove(event.instanceId());
        history.forget(event.instanceId());
    }

    private void tick() {
        try {
            sample();
        } catch (RuntimeException e) {
            Log.warnf(e, "monitoring: a second's sample failed");
        }
    }

    /** One second of every running instance. */
    void sample() {
        long stamp = clock.now().getEpochSecond();
        if (stamp == lastStamp) {
            return;  // a late tick in the same second of kvsim's clock
        }
        if (stamp < lastStamp) {
            // kvsim's clock went back (only a test's reset does that): the seconds now in its future are dropped,
            // else the history would refuse every sample until the clock caught up with them
            history.clockWentBack();
        }
        lastStamp = stamp;
        Map<String, RunningInstance> running = new HashMap<>();
        provisioner.runningIds().forEach(id -> provisioner.running(id).ifPresent(r -> running.put(id, r)));
        Map<NodeProcess, CompletableFuture<NodeReading>> polls = new HashMap<>();
        Set<String> live = new HashSet<>();
        running.values().forEach(r -> r.nodes().forEach(n -> {
            live.add(n.nodeId());
            CompletableFuture<NodeReading> poll = nodes.call(n, client -> read(n, client.send(Command.INFO).toString()));
            if (poll != null) {
                polls.put(n, poll);
            }
        }));
        Map<String, InstanceValues.ProxyReading> proxies = new HashMap<>();
        running.forEach((id, r) -> proxies.put(id, new InstanceValues.ProxyReading(r.proxy().counters().snapshot(),
                System.nanoTime())));
        awaitPolls(polls);
        running.forEach((id, r) -> record(id, r, stamp, proxies.get(id), polls));
        history.closeMinutesBefore(Math.floorDiv(stamp, 60));
        nodes.retain(live);
        states.keySet().retainAll(running.keySet());
    }

    private static NodeReading read(NodeProcess node, String info) {
        return new NodeReading(node.pid(), NodeInfo.parse(info), ProcessCpu.seconds(node.pid()), System.nanoTime());
    }

    private static void awaitPolls(Map<NodeProcess, CompletableFuture<NodeReading>> polls) {
        try {
            CompletableFuture.allOf(polls.values().toArray(CompletableFuture[]::new)).get(NODE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // some node did not answer in time (paused, busy) or failed: its second is missing
        }
    }

    private static NodeReading done(CompletableFuture<NodeReading> poll) {
        return poll != null && poll.isDone() && !poll.isCompletedExceptionally() ? poll.join() : null;
    }

    private void record(String id, RunningInstance r, long stamp, InstanceValues.ProxyReading proxy,
                        Map<NodeProcess, CompletableFuture<NodeReading>> polls) {
        InstanceState state = states.computeIfAbsent(id, k -> new InstanceState());
        List<InstanceValues.MasterPoll> masters = new ArrayList<>();
        boolean everyMaster = !r.shards().isEmpty();
        for (ShardNodes s : r.shards()) {
            NodeProcess master = s.master();
            InstanceValues.MasterPoll m = master == null ? null : node(id, s.shard(), master, "master", stamp, state, polls);
            if (s.replica() != null) {
                node(id, s.shard(), s.replica(), "replica", stamp, state, polls);
            }
            if (m == null) {
                everyMaster = false;
                continue;
            }
            masters.add(m);
            history.record(id, MetricScope.shard(s.shard()), stamp, m.values().toArray(), "master");
        }
        SampleValues instance = InstanceValues.of(r.proxy(), proxy, state.proxy, everyMaster ? masters : List.of());
        state.proxy = proxy;
        history.record(id, MetricScope.INSTANCE, stamp, instance.toArray(), null);
        gauges.sync(id, history.seriesOf(id));
    }

    /** Records a node's second, if it answered; @return its poll (null when it did not answer) */
    private InstanceValues.MasterPoll node(String id, int shard, NodeProcess n, String role, long stamp,
                                           InstanceState state, Map<NodeProcess, CompletableFuture<NodeReading>> polls) {
        NodeReading now = done(polls.get(n));
        if (now == null) {
            return null;
        }
        NodeReading before = state.nodes.put(n.nodeId(), now);
        SampleValues values = now.values(before);
        history.record(id, MetricScope.node(shard, n.nodeId()), stamp, values.toArray(), role);
        return new InstanceValues.MasterPoll(now, before, values);
    }
}
