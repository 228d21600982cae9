package dev.kvsim.faults.node;

import dev.kvsim.engine.FreePorts;
import dev.kvsim.engine.NodeClient;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.faults.model.FaultTarget;
import dev.kvsim.faults.model.NodeControl;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.lifecycle.ShardNodes;
import io.vertx.redis.client.Command;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Node faults' operations on one running instance's processes; HA then reacts as it would to the real thing. */
public final class InstanceNodeControl implements NodeControl {

    private final RunningInstance instance;
    private final NodeManager nodes;
    /** break_replication: which replica was cut off, per shard, so that only that one is reconnected. */
    private final Map<Integer, String> cutOff = new ConcurrentHashMap<>();

    public InstanceNodeControl(RunningInstance instance, NodeManager nodes) {
        this.instance = instance;
        this.nodes = nodes;
    }

    @Override
    public void kill(int shard, String role) {
        nodes.kill(node(shard, role));
    }

    @Override
    public String pause(int shard, String role) {
        NodeProcess n = node(shard, role);
        n.pause();
        return n.nodeId();
    }

    @Override
    public void resume(String nodeId) {
        instance.node(nodeId).filter(NodeProcess::isPaused).ifPresent(NodeProcess::resume);
    }

    @Override
    public void breakReplication(int shard) {
        NodeProcess replica = node(shard, FaultTarget.REPLICA);
        // Pointed at a port nothing listens on, the replica keeps its data, offset and replication ID,
        // so that following the master again is a partial resync.
        try (NodeClient c = nodes.client(replica)) {
            c.send(Command.REPLICAOF, "127.0.0.1", Integer.toString(FreePorts.pick()));
        }
        cutOff.put(shard, replica.nodeId());
    }

    @Override
    public void restoreReplication(int shard) {
        String cut = cutOff.remove(shard);
        ShardNodes s = instance.shard(shard);
        NodeProcess replica = s.replica();
        if (cut == null || replica == null || !replica.nodeId().equals(cut) || !replica.isAlive()) {
            return;  // HA replaced or promoted it meanwhile: the new replica already follows the master
        }
        try (NodeClient c = nodes.client(replica)) {
            c.send(Command.REPLICAOF, "127.0.0.1", Integer.toString(s.master().port()));
        }
    }

    @Override
    public void killShard(int shard) {
        ShardNodes s = instance.shard(shard);
        s.setHeldDown(true);
        if (s.replica() != null) {
            nodes.kill(s.replica());
        }
        nodes.kill(s.master());
    }

    @Override
    public void restoreShard(int shard) {
        instance.shard(shard).setHeldDown(false);
    }

    private NodeProcess node(int shard, String role) {
        ShardNodes s = instance.shard(shard);
        NodeProcess n = FaultTarget.REPLICA.equals(role) ? s.replica() : s.master();
        if (n == null) {
            throw new IllegalArgumentException("shard " + shard + " has no " + role + " (a single-replica instance has no replica).");
        }
        return n;
    }
}
