package dev.kvsim.lifecycle;

import dev.kvsim.engine.NodeProcess;
import dev.kvsim.proxy.InstanceProxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** An instance's live parts: its endpoint and, per shard, its master and replica processes. */
public final class RunningInstance {

    private final String instanceId;
    private final InstanceProxy proxy;
    private volatile List<ShardNodes> shards = List.of();
    /** Serialises what changes the nodes: failover, switchover, node faults, restarts. */
    private final ReentrantLock nodesLock = new ReentrantLock();

    RunningInstance(String instanceId, InstanceProxy proxy) {
        this.instanceId = instanceId;
        this.proxy = proxy;
    }

    public String instanceId() {
        return instanceId;
    }

    public InstanceProxy proxy() {
        return proxy;
    }

    public ReentrantLock nodesLock() {
        return nodesLock;
    }

    public List<ShardNodes> shards() {
        return shards;
    }

    public ShardNodes shard(int shard) {
        List<ShardNodes> s = shards;
        if (shard < 0 || shard >= s.size()) {
            throw new IllegalArgumentException("the instance has " + s.size() + " shard(s); there is no shard " + shard + ".");
        }
        return s.get(shard);
    }

    void setShards(List<ShardNodes> shards) {
        this.shards = List.copyOf(shards);
    }

    /** Every live node, each shard's master first. */
    public List<NodeProcess> nodes() {
        List<NodeProcess> all = new ArrayList<>();
        for (ShardNodes s : shards) {
            all.add(s.master());
            all.add(s.replica());
        }
        all.removeIf(Objects::isNull);
        return all;
    }

    public List<NodeProcess> masters() {
        return shards.stream().map(ShardNodes::master).filter(Objects::nonNull).toList();
    }

    public Optional<NodeProcess> node(String nodeId) {
        return nodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
    }
}
