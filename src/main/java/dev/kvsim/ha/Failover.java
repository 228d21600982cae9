package dev.kvsim.ha;

import dev.kvsim.engine.NodeClient;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProbe;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.lifecycle.ShardNodes;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the HA system does to a shard's nodes: promote the replica when the master has failed,
 * replace a failed replica or single node, bring a dead shard back. Callers hold the instance's
 * nodes lock and have moved it to HASwitching.
 */
@ApplicationScoped
public class Failover {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final InstanceProvisioner provisioner;
    private final InstanceStore store;
    private final NodeManager nodes;
    private final EventStore events;
    private final KvsimClock clock;

    public Failover(InstanceProvisioner provisioner, InstanceStore store, NodeManager nodes, EventStore events,
                    KvsimClock clock) {
        this.provisioner = provisioner;
        this.store = store;
        this.nodes = nodes;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The master is dead or hung: kill it, promote the replica, route the proxy to it (a standard
     * instance's clients are dropped; a cluster re-links the shard), then start a new (empty) replica
     * of the new master.
     *
     * @param lastMasterOffset the master's replication offset when last seen healthy (-1 unknown)
     */
    public void promoteReplica(StoredInstance i, RunningInstance r, int shard, String reason, Instant detectedAt,
                               long lastMasterOffset) {
        ShardNodes s = r.shard(shard);
        NodeProcess oldMaster = s.master();
        NodeProcess replica = s.replica();
        nodes.kill(oldMaster);
        long replicaOffset = offsetOf(replica, i);
        try (NodeClient c = nodes.client(replica)) {
            c.send(Command.REPLICAOF, "NO", "ONE");
        }
        // Until its replacement runs, the dead old master stands as the shard's failed replica: should
        // the replacement fail to start, HA replaces it again later (the instance is in Error meanwhile).
        s.set(replica, oldMaster);
        provisioner.reroute(r, i.internalPassword(), shard);
        Instant switchedAt = clock.now();
        saveRoles(i, r);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("shard", shard);
        d.put("reason", reason);
        d.put("oldMaster", oldMaster.nodeId());
        d.put("newMaster", replica.nodeId());
        d.put("detectedAt", detectedAt.toString());
        d.put("switchedAt", switchedAt.toString());
        d.put("masterOffset", lastMasterOffset);
        d.put("replicaOffset", replicaOffset);
        d.put("lostBytes", lastMasterOffset < 0 || replicaOffset < 0 ? null : Math.max(0, lastMasterOffset - replicaOffset));
        d.put("lostWrites", null);  // the master is gone: what it held at the end cannot be read
        d.put("replicaRebuiltAt", null);
        try {
            NodeProcess fresh = provisioner.startNode(i, node(i, oldMaster.nodeId()), replica.port(), true);
            s.set(replica, fresh);
            saveRoles(i, r);
            d.put("replicaRebuiltAt", clock.now().toString());
        } finally {
            events.record(i.instanceId(), Event.FAILOVER, d);  // the switch happened, rebuilt replica or not
        }
    }

    /** A single-replica instance's node failed: a new, empty node takes its place (the data is lost). */
    public void replaceSingleNode(StoredInstance i, RunningInstance r, String reason, Instant detectedAt) {
        ShardNodes s = r.shard(0);
        NodeProcess old = s.master();
        nodes.kill(old);
        NodeProcess fresh = provisioner.startNode(i, node(i, old.nodeId()), 0, true);
        s.set(fresh, null);
        provisioner.reroute(r, i.internalPassword(), 0);
        saveRoles(i, r);
        events.record(i.instanceId(), Event.NODE_REPLACED, details(0, "master", old.nodeId(), reason, detectedAt,
                "a new, empty node replaced it: the data is lost"));
    }

    /** A replica failed: a new one syncs from the master. */
    public void replaceReplica(StoredInstance i, RunningInstance r, int shard, String reason, Instant detectedAt) {
        ShardNodes s = r.shard(shard);
        NodeProcess old = s.replica();
        nodes.kill(old);
        NodeProcess fresh = provisioner.startNode(i, node(i, old.nodeId()), s.master().port(), true);
        s.set(s.master(), fresh);
        saveRoles(i, r);
        events.record(i.instanceId(), Event.NODE_REPLACED, details(shard, "replica", old.nodeId(), reason, detectedAt,
                "a new replica synced from the master"));
    }

    /** Both nodes of a shard are down: the master restarts from its data on disk, then a replica syncs. */
    public void restartShard(StoredInstance i, RunningInstance r, int shard, String reason, Instant detectedAt) {
        ShardNodes s = r.shard(shard);
        NodeProcess oldMaster = s.master();
        NodeProcess oldReplica = s.replica();
        nodes.kill(oldMaster);
        if (oldReplica != null) {
            nodes.kill(oldReplica);
        }
        NodeProcess master = provisioner.startNode(i, node(i, oldMaster.nodeId()), 0, false);
        s.set(master, null);
        provisioner.reroute(r, i.internalPassword(), shard);
        if (oldReplica != null) {
            s.set(master, provisioner.startNode(i, node(i, oldReplica.nodeId()), master.port(), true));
        }
        saveRoles(i, r);
        events.record(i.instanceId(), Event.NODE_REPLACED, details(shard, "shard", oldMaster.nodeId(), reason, detectedAt,
                "the shard restarted from its data on disk"));
    }

    /** The node's INFO replication fields now. */
    Map<String, String> replicationInfo(NodeProcess node, StoredInstance i) throws IOException {
        return NodeProbe.replicationInfo(node.port(), i.internalPassword(), PROBE_TIMEOUT);
    }

    /** The node's replication offset now, or -1 when it does not answer. */
    long offsetOf(NodeProcess node, StoredInstance i) {
        try {
            return NodeProbe.offset(replicationInfo(node, i));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stores each node's current role and port. */
    void saveRoles(StoredInstance i, RunningInstance r) {
        List<StoredNode> stored = new ArrayList<>();
        for (ShardNodes s : r.shards()) {
            stored.add(new StoredNode(s.master().nodeId(), StoredNode.MASTER, s.shard(), s.master().port()));
            if (s.replica() != null) {
                stored.add(new StoredNode(s.replica().nodeId(), StoredNode.REPLICA, s.shard(), s.replica().port()));
            }
        }
        store.saveNodes(i.instanceId(), stored);
    }

    private static StoredNode node(StoredInstance i, String nodeId) {
        return i.nodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("node " + nodeId + " is not stored for " + i.instanceId()));
    }

    private static Map<String, Object> details(int shard, String role, String nodeId, String reason, Instant detectedAt,
                                               String outcome) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("shard", shard);
        d.put("role", role);
        d.put("node", nodeId);
        d.put("reason", reason);
        d.put("detectedAt", detectedAt.toString());
        d.put("outcome", outcome);
        return d;
    }
}
