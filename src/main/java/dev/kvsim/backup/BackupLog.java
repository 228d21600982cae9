package dev.kvsim.backup;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.engine.AofFiles;
import dev.kvsim.engine.AofRecords;
import dev.kvsim.engine.NodeClient;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.instance.InstanceDeleted;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
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

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The backup log behind point-in-time restores (the service's data flashback): each shard's replica (its master
 * when it has none) writes its AOF with timestamps ({@code aof-timestamp-enabled}) and keeps the files a rewrite
 * retires ({@code aof-disable-auto-gc}); kvsim has it write a base now and then (a generation), archives the bases
 * and the incremental files beside the backups, and lets the engine drop its copies once archived. A node that is
 * replaced ends its chain of files; the next one starts a new chain.
 */
@ApplicationScoped
public class BackupLog {

    /** In a node directory: the chain its AOF belongs to. A directory wiped or swapped has none. */
    static final String MARKER = "kvsim-backup-log";
    private static final Duration REWRITE_TIMEOUT = Duration.ofMinutes(10);

    private final BackupLogStore store;
    private final BackupPolicyStore policies;
    private final BackupFiles files;
    private final InstanceStore instances;
    private final InstanceProvisioner provisioner;
    private final NodeManager nodes;
    private final KvsimClock clock;
    private final Duration shipInterval;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Ships on real time, like HA's checks: it follows the node's files, not a schedule of kvsim's time. */
    private final ScheduledExecutorService shipper = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("kvsim-backup-log"));

    public BackupLog(BackupLogStore store, BackupPolicyStore policies, BackupFiles files, InstanceStore instances,
                     InstanceProvisioner provisioner, NodeManager nodes, KvsimClock clock,
                     @ConfigProperty(name = "kvsim.backup.log-ship-interval", defaultValue = "5s") Duration shipInterval) {
        this.store = store;
        this.policies = policies;
        this.files = files;
        this.instances = instances;
        this.provisioner = provisioner;
        this.nodes = nodes;
        this.clock = clock;
        this.shipInterval = shipInterval;
    }

    void onStart(@Observes StartupEvent event) {
        long ms = shipInterval.toMillis();
        if (ms > 0) {
            shipper.scheduleWithFixedDelay(this::shipAll, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        shipper.shutdownNow();
    }

    /** kvsim's time minus the system's: the engine stamps its log with the system's time. */
    long offsetMs() {
        return clock.now().toEpochMilli() - System.currentTimeMillis();
    }

    private void shipAll() {
        for (String id : policies.withBackupLog()) {
            try {
                instances.find(id).filter(i -> i.status() == InstanceStatus.Normal).ifPresent(this::ship);
            } catch (RuntimeException e) {
                Log.warnf("instance %s: backup log: %s", id, e.getMessage());
            }
        }
    }

    /**
     * Brings the archive up to date with every shard's node, starting a chain where there is none (the log was just
     * turned on, or the node was replaced). Does nothing for an instance that is not running.
     */
    void ship(StoredInstance i) {
        Optional<RunningInstance> running = provisioner.running(i.instanceId());
        if (running.isEmpty() || running.get().shards().isEmpty()) {
            return;
        }
        synchronized (locks.computeIfAbsent(i.instanceId(), k -> new Object())) {
            for (ShardNodes s : running.get().shards()) {
                try {
                    shipShard(i, s);
                } catch (IOException | RuntimeException e) {
                    Log.warnf("instance %s shard %d: backup log not archived: %s", i.instanceId(), s.shard(), e.getMessage());
                }
            }
        }
    }

    private void shipShard(StoredInstance i, ShardNodes s) throws IOException {
        Optional<BackupLogStore.Chain> current = store.current(i.instanceId(), s.shard());
        NodeProcess node = current.flatMap(c -> nodeOf(s, c.nodeId())).orElse(null);
        if (current.isEmpty() || node == null || !current.get().chainId().equals(marker(i, node))) {
            current.ifPresent(c -> store.end(c.chainId()));
            startChain(i, s);
            return;
        }
        BackupLogStore.Chain chain = current.get();
        Path nodeDir = provisioner.nodeDir(i.instanceId(), node.nodeId());
        AofFiles.Manifest manifest = AofFiles.readManifest(nodeDir);
        if (manifest == null) {
            return;
        }
        long firstSeq = store.generations(chain.chainId()).stream().mapToLong(BackupLogStore.Generation::firstIncrSeq)
                .min().orElse(Long.MAX_VALUE);
        long at = System.currentTimeMillis();
        boolean historyArchived = true;
        for (AofFiles.Entry e : manifest.entries()) {
            long seq = PointInTime.incrSeq(e.file());
            if (seq < firstSeq) {
                continue;
            }
            boolean complete = append(nodeDir.resolve(AofFiles.DIR).resolve(e.file()),
                    files.logDir(i.instanceId(), s.shard(), chain.chainId()).resolve(e.file()));
            historyArchived &= e.type() != AofFiles.HISTORY || complete;
        }
        store.shipped(chain.chainId(), at);
        if (!manifest.history().isEmpty() && historyArchived) {
            dropEngineHistory(i, node);
        }
    }

    /**
     * Appends to the archived copy what the node's file has beyond it, up to its last complete record.
     *
     * @return whether the copy now holds the whole file
     */
    private boolean append(Path source, Path archived) throws IOException {
        if (!Files.exists(source)) {
            return true;  // dropped by the engine after an earlier archive
        }
        files.privateDir(archived.getParent());
        long have = Files.exists(archived) ? Files.size(archived) : 0;
        long size = Files.size(source);
        if (size <= have) {
            return true;
        }
        long end = AofRecords.scan(source, have, size).completeEnd();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             OutputStream out = Files.newOutputStream(archived, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            BackupFiles.privateFile(archived);
            in.transferTo(have, end - have, Channels.newChannel(out));
        }
        return end == size;
    }

    /** The engine deletes the history files kvsim archived: garbage collection on for a moment. */
    private void dropEngineHistory(StoredInstance i, NodeProcess node) {
        try (NodeClient c = nodes.client(node)) {
            if (c.info("persistence").contains("aof_rewrite_in_progress:0")) {
                c.send(Command.CONFIG, "SET", "aof-disable-auto-gc", "no");
                c.send(Command.CONFIG, "SET", "aof-disable-auto-gc", "yes");
            }
        }
    }

    /** A new chain on the shard's replica (its master without one), from a base the engine writes now. */
    private void startChain(StoredInstance i, ShardNodes s) throws IOException {
        NodeProcess node = s.replica() != null ? s.replica() : s.master();
        Path nodeDir = provisioner.nodeDir(i.instanceId(), node.nodeId());
        BackupLogStore.Chain chain = store.newChain(i.instanceId(), s.shard(), node.nodeId(), clock.now(),
                System.currentTimeMillis(), i.instanceClass(), i.shardCount(), i.slotMap());
        Files.writeString(nodeDir.resolve(MARKER), chain.chainId(), StandardCharsets.US_ASCII);
        try {
            newGeneration(i, chain, node);
        } catch (IOException | RuntimeException e) {
            store.end(chain.chainId());
            throw e;
        }
    }

    /** Has the engine write a new base into the chain's AOF, and archives it. */
    void newGeneration(StoredInstance i, BackupLogStore.Chain chain, NodeProcess node) throws IOException {
        Path nodeDir = provisioner.nodeDir(i.instanceId(), node.nodeId());
        AofFiles.Manifest before = AofFiles.readManifest(nodeDir);
        String oldBase = before == null || before.base() == null ? null : before.base().file();
        try (NodeClient c = nodes.client(node)) {
            c.send(Command.BGREWRITEAOF);
            long deadline = System.nanoTime() + REWRITE_TIMEOUT.toNanos();
            while (true) {
                String info = c.info("persistence");
                if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the AOF rewrite did not finish within " + REWRITE_TIMEOUT.toMinutes() + " min");
                }
                sleep(20);
            }
        }
        AofFiles.Manifest after = AofFiles.readManifest(nodeDir);
        if (after == null || after.base() == null || after.base().file().equals(oldBase) || after.incrs().isEmpty()) {
            throw new IOException("the engine's AOF rewrite failed (see the node's redis.log)");
        }
        Path archive = files.privateDir(files.logDir(i.instanceId(), chain.shard(), chain.chainId()));
        AofFiles.linkOrCopy(nodeDir.resolve(AofFiles.DIR).resolve(after.base().file()), archive.resolve(after.base().file()));
        store.addGeneration(chain.chainId(), after.base().file(), after.incrs().get(0).seq(), clock.now(),
                System.currentTimeMillis());
    }

    /** Chains get a new base once a day, so that a restore replays at most a day of writes and old files can go. */
    void renewGenerations(Instant now) {
        for (String id : policies.withBackupLog()) {
            instances.find(id).filter(i -> i.status() == InstanceStatus.Normal).ifPresent(i -> {
                Optional<RunningInstance> r = provisioner.running(id);
                synchronized (locks.computeIfAbsent(id, k -> new Object())) {
                    for (BackupLogStore.Chain c : store.chains(id)) {
                        List<BackupLogStore.Generation> gens = store.generations(c.chainId());
                        boolean stale = !gens.isEmpty() && gens.get(gens.size() - 1).basedAt().isBefore(now.minus(Duration.ofDays(1)));
                        Optional<NodeProcess> node = r.flatMap(run -> run.node(c.nodeId()));
                        if (!c.ended() && stale && node.isPresent()) {
                            try {
                                newGeneration(i, c, node.get());
                            } catch (IOException | RuntimeException e) {
                                Log.warnf("instance %s shard %d: no new backup log base: %s", id, c.shard(), e.getMessage());
                            }
                        }
                    }
                }
            });
        }
    }

    /** The chain's node among the shard's, if it still runs there. */
    private static Optional<NodeProcess> nodeOf(ShardNodes s, String nodeId) {
        if (s.master() != null && s.master().nodeId().equals(nodeId)) {
            return Optional.of(s.master());
        }
        return s.replica() != null && s.replica().nodeId().equals(nodeId) ? Optional.of(s.replica()) : Optional.empty();
    }

    private String marker(StoredInstance i, NodeProcess node) {
        try {
            return Files.readString(provisioner.nodeDir(i.instanceId(), node.nodeId()).resolve(MARKER)).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** The log is turned on: every shard starts a chain (in the background: the engine writes a base first). */
    void start(String instanceId) {
        shipper.execute(() -> {
            instances.find(instanceId).ifPresent(i -> {
                ship(i);
                boolean all = provisioner.running(instanceId).map(r -> r.shards().stream()
                        .allMatch(s -> store.current(instanceId, s.shard()).isPresent())).orElse(false);
                if (all) {
                    policies.setLogStart(instanceId, clock.now());
                }
            });
        });
    }

    /** The log is turned off: its archive goes. */
    void drop(String instanceId) {
        synchronized (locks.computeIfAbsent(instanceId, k -> new Object())) {
            store.chains(instanceId).forEach(c -> store.deleteChain(c.chainId()));
            BackupFiles.delete(files.instanceDir(instanceId).resolve("log"));
        }
    }

    /** Before a released instance's nodes stop: the archive takes what they wrote last. */
    void onInstanceDeleted(@Observes InstanceDeleted event) {
        instances.find(event.instanceId()).filter(i -> policies.of(i.instanceId()).backupLog()).ifPresent(i -> {
            ship(i);
            store.chains(i.instanceId()).forEach(c -> store.end(c.chainId()));
        });
    }

    /** @throws ServiceError when the backup log does not reach the instant */
    static ServiceError outside(Instant t, Instant from, Instant to) {
        return ServiceError.invalid("The restore time " + t + " is outside the window the backup log covers"
                + (from == null ? " (the log is still starting)" : ": from " + from + " to " + to) + ".");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
