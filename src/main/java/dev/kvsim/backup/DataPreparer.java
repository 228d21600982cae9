package dev.kvsim.backup;

import dev.kvsim.cluster.KeyMover;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.engine.AofFiles;
import dev.kvsim.engine.EngineLocator;
import dev.kvsim.engine.NodeClient;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.engine.NodeSpec;
import dev.kvsim.instance.InstanceIds;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;
import dev.kvsim.lifecycle.InstanceProvisioner;
import io.quarkus.logging.Log;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Lays a source's data (backup files or a point in time) into a prepared directory for each master of the target
 * instance, beside its node directories: nothing the target runs on changes until {@link RestoreSwap} puts them in
 * place. A source spread like the target (same shards, same slots) is laid file by file; any other is loaded into
 * temporary nodes and its keys copied by slot into temporary nodes of the target's layout ({@link KeyMover}).
 */
@ApplicationScoped
public class DataPreparer {

    private static final String PREFIX = ".restore-";

    private final NodeManager nodes;
    private final InstanceProvisioner provisioner;
    private final EngineLocator engines;

    public DataPreparer(NodeManager nodes, InstanceProvisioner provisioner, EngineLocator engines) {
        this.nodes = nodes;
        this.provisioner = provisioner;
        this.engines = engines;
    }

    /** The instance's directory, which holds its node directories and what a restore prepares beside them. */
    Path instanceDir(String instanceId) {
        return provisioner.nodeDir(instanceId, "x").getParent();
    }

    boolean appendOnly(StoredInstance i) {
        return provisioner.appendOnly(i);
    }

    /** The prepared directory of a master: it takes the node directory's place at the swap. */
    Path prepared(String instanceId, String tag, String nodeId) {
        return instanceDir(instanceId).resolve(PREFIX + tag + "-" + nodeId);
    }

    /** A scratch directory of the restore (a temporary node's, a point in time's), beside the node directories. */
    Path scratch(String instanceId, String tag, String name) {
        return instanceDir(instanceId).resolve(PREFIX + tag + "-" + name);
    }

    /** Removes everything a restore with this tag prepared or set aside. */
    void cleanUp(String instanceId, String tag) {
        Path dir = instanceDir(instanceId);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var children = Files.list(dir)) {
            children.filter(p -> p.getFileName().toString().startsWith(PREFIX + tag + "-")).forEach(BackupFiles::delete);
        } catch (IOException e) {
            Log.warnf("could not clean up restore %s of %s: %s", tag, instanceId, e.getMessage());
        }
    }

    /**
     * @return the master node IDs of the target whose prepared directories now hold the data
     * @throws IOException the data could not be laid (the prepared directories are then incomplete)
     */
    public List<String> prepare(StoredInstance target, SourceData src, String tag) throws IOException {
        Map<Integer, String> masters = new TreeMap<>();
        target.nodes().stream().filter(StoredNode::isMaster).forEach(n -> masters.put(n.shard(), n.nodeId()));
        boolean appendOnly = provisioner.appendOnly(target);
        boolean sameLayout = src.shardCount() == masters.size() && Objects.equals(src.slotMap(), target.slotMap())
                && (appendOnly || src.shards().stream().allMatch(s -> s.rdb() != null));
        for (String nodeId : masters.values()) {
            Path dir = prepared(target.instanceId(), tag, nodeId);
            BackupFiles.delete(dir);
            Files.createDirectories(dir);
        }
        if (sameLayout) {
            for (SourceData.Shard s : src.shards()) {
                Path dir = prepared(target.instanceId(), tag, masters.get(s.shard()));
                if (s.rdb() != null) {
                    AofFiles.layRdb(dir, s.rdb(), appendOnly, engines.engine().multiPartAof());
                } else {
                    Files.move(s.aofNodeDir().resolve(AofFiles.DIR), dir.resolve(AofFiles.DIR),
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } else {
            redistribute(target, src, tag, masters, appendOnly);
        }
        return List.copyOf(masters.values());
    }

    /** Loads each source shard in a temporary node and copies its keys, by slot, into the target's shards. */
    private void redistribute(StoredInstance target, SourceData src, String tag, Map<Integer, String> masters,
                              boolean appendOnly) throws IOException {
        String password = InstanceIds.newInternalPassword();
        SlotMap slots = target.slotMap() == null ? null : SlotMap.parse(target.slotMap());
        List<NodeProcess> started = new ArrayList<>();
        List<NodeClient> clients = new ArrayList<>();
        try {
            List<NodeClient> targets = new ArrayList<>();
            for (String nodeId : masters.values()) {
                NodeProcess n = start(prepared(target.instanceId(), tag, nodeId), "target-" + nodeId, appendOnly, password);
                started.add(n);
                targets.add(open(n, clients));
            }
            for (SourceData.Shard s : src.shards()) {
                Path dir = s.aofNodeDir();
                if (dir == null) {
                    dir = scratch(target.instanceId(), tag, "source-" + s.shard());
                    BackupFiles.delete(dir);
                    AofFiles.layRdb(dir, s.rdb(), false, false);
                }
                NodeProcess source = start(dir, "source-" + s.shard(), s.aofNodeDir() != null, password);
                started.add(source);
                KeyMover.Result moved = KeyMover.copy(open(source, clients), slot -> true,
                        slot -> targets.get(slots == null ? 0 : slots.shardOf(slot)), false);
                Log.infof("instance %s: %d keys of source shard %d copied to %d shard(s)", target.instanceId(),
                        moved.copied(), s.shard(), targets.size());
            }
            if (!appendOnly) {
                targets.forEach(c -> c.send(Command.SAVE));  // a node without AOF loads dump.rdb at its start
            }
        } catch (RuntimeException e) {
            throw new IOException("copying the keys failed: " + e.getMessage(), e);
        } finally {
            clients.forEach(NodeClient::close);
            started.forEach(nodes::stop);  // SIGTERM: an AOF node writes what it has before it exits
        }
    }

    private NodeProcess start(Path dir, String name, boolean appendOnly, String password) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // no memory cap and no eviction: the node only holds the data while it is copied
        return nodes.start(new NodeSpec(dir.getFileName() + "-" + name, dir, 0, 0,
                Map.of("maxmemory-policy", "noeviction"), appendOnly, password, 0, 64, List.of()));
    }

    private NodeClient open(NodeProcess n, List<NodeClient> clients) {
        NodeClient c = nodes.client(n);
        clients.add(c);
        return c;
    }
}
