package dev.kvsim.backup;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.engine.EngineLocator;
import dev.kvsim.engine.NodeClient;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProbe;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.engine.NodeSnapshot;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.lifecycle.ShardNodes;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Backups as the service makes them: a job snapshots every shard of an instance as an RDB file, read from the
 * shard's replica when it has one so that the master is not forked. The instance stays Normal and serves
 * meanwhile. A failed snapshot (the storage is full, a node went away) leaves a Failed backup and an event; the
 * instance is not touched.
 */
@ApplicationScoped
public class BackupService {

    private static final Duration NODE_SILENCE = Duration.ofSeconds(60);
    /** How long a backup waits for the replica it reads to have its master's writes up to the request. */
    private static final Duration CATCH_UP = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = 600;

    private final BackupStore store;
    private final BackupPolicyStore policies;
    private final BackupFiles files;
    private final InstanceStore instances;
    private final InstanceProvisioner provisioner;
    private final NodeManager nodes;
    private final EngineLocator engines;
    private final EventStore events;
    private final KvsimClock clock;
    /** Snapshots run here, off the callers' threads and the clock's. */
    private final ExecutorService workers = Executors.newCachedThreadPool(DaemonThreads.named("kvsim-backup"));

    public BackupService(BackupStore store, BackupPolicyStore policies, BackupFiles files, InstanceStore instances,
                         InstanceProvisioner provisioner, NodeManager nodes, EngineLocator engines, EventStore events,
                         KvsimClock clock) {
        this.store = store;
        this.policies = policies;
        this.files = files;
        this.instances = instances;
        this.provisioner = provisioner;
        this.nodes = nodes;
        this.engines = engines;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Starts a backup job of the instance (CreateBackup, or the policy's automatic backup).
     *
     * @param retentionDays how long to keep it: null for the policy's retention, -1 until deleted, else 7 to 730
     * @param wait          answer once the job is done (Success or Failed) rather than at once (Running)
     * @throws ServiceError 404 for an unknown instance, 409 when it is not Normal, 403 while a job of it runs
     */
    public BackupJob create(String instanceId, String mode, Integer retentionDays, boolean wait) {
        StoredInstance i = instances.require(instanceId);
        if (retentionDays != null && retentionDays != -1) {
            BackupPolicy.checkRetention("The backup retention period", retentionDays);
        }
        RunningInstance r = provisioner.running(instanceId).orElse(null);
        if (i.status() != InstanceStatus.Normal || r == null || r.shards().isEmpty()) {
            throw ServiceError.wrongState(instanceId, i.status());
        }
        List<BackupStore.Planned> planned = new ArrayList<>();
        Map<Integer, Source> sources = new LinkedHashMap<>();
        for (ShardNodes s : r.shards()) {
            NodeProcess source = s.replica() != null ? s.replica() : s.master();
            planned.add(new BackupStore.Planned(s.shard(), source.nodeId()));
            sources.put(s.shard(), new Source(source, source == s.master() ? -1 : masterOffset(s.master())));
        }
        int days = retentionDays != null ? retentionDays : policies.of(instanceId).retentionDays();
        Instant now = clock.now();
        BackupJob job;
        synchronized (this) {  // one job of an instance at a time
            store.runningJob(instanceId).ifPresent(running -> {
                throw new ServiceError(403, "OperationDenied.BackupJobExists", "A backup job of instance " + instanceId
                        + " is running (BackupJobID " + running.jobId() + "); wait until it is done.");
            });
            job = store.createJob(instanceId, mode, now, days == -1 ? null : now.plus(Duration.ofDays(days)),
                    i.instanceClass(), i.shardCount(), i.slotMap(), engines.engine().version(), planned);
        }
        CompletableFuture<BackupJob> done = CompletableFuture.supplyAsync(() -> run(job, i, sources), workers);
        if (!wait) {
            return job;
        }
        try {
            return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ServiceError(503, "InternalError", "The backup job " + job.jobId() + " is not done after "
                    + WAIT_SECONDS + " s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceError(503, "InternalError", "interrupted");
        }
    }

    /** Snapshots every shard side by side, then settles the job and records what happened. */
    private BackupJob run(BackupJob job, StoredInstance i, Map<Integer, Source> sources) {
        NodeSnapshot.Budget budget = files.budget();
        List<CompletableFuture<Void>> shards = job.backups().stream().map(b -> CompletableFuture.runAsync(
                () -> snapshot(b, i, sources.get(b.shard()), budget), workers)).toList();
        shards.forEach(CompletableFuture::join);
        BackupJob done = store.finishJob(job.jobId(), clock.now());
        if (done.status().equals(Backup.SUCCESS)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("backupJobId", done.jobId());
            d.put("mode", done.mode());
            d.put("backupIds", done.backups().stream().map(Backup::backupId).toList());
            d.put("sizeBytes", done.backups().stream().mapToLong(Backup::sizeBytes).sum());
            d.put("startedAt", done.startedAt().toString());
            d.put("doneAt", done.finishedAt().toString());
            events.record(i.instanceId(), Event.BACKUP_CREATED, d);
        }
        return done;
    }

    private void snapshot(Backup b, StoredInstance i, Source source, NodeSnapshot.Budget budget) {
        Path part = files.partial(i.instanceId(), b.backupId());
        NodeProcess node = source.node();
        try {
            if (!caughtUp(node, source.masterOffset())) {
                fail(b, "the replica " + node.nodeId() + " did not receive its master's writes up to the backup's request"
                        + " within " + CATCH_UP.toSeconds() + " s");
                return;
            }
            files.privateDir(part.getParent());
            String dbNames = databases(node);
            long size;
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                BackupFiles.privateFile(part);
                size = NodeSnapshot.read(node.port(), i.internalPassword(), NODE_SILENCE, out, budget);
            }
            checkRdb(part);
            Files.move(part, files.rdb(i.instanceId(), b.backupId()), StandardCopyOption.ATOMIC_MOVE);
            store.finishBackup(b.backupId(), Backup.SUCCESS, clock.now(), size, dbNames, null);
        } catch (IOException | RuntimeException e) {
            BackupFiles.delete(part);
            fail(b, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * The node a shard's backup reads, and its master's replication offset when the backup was asked for (-1: the
     * node is the master). Read from the replica, the backup holds every write acknowledged before the request
     * only once the replica has that offset: replication is asynchronous.
     */
    private record Source(NodeProcess node, long masterOffset) {
    }

    private long masterOffset(NodeProcess master) {
        try (NodeClient c = nodes.client(master)) {
            return NodeProbe.offset(NodeProbe.fields(c.info("replication")));
        } catch (RuntimeException e) {
            return -1;  // the master does not answer: the replica's data is all there is
        }
    }

    /** Waits (up to {@link #CATCH_UP}) until the replica has received the master's stream up to {@code offset}. */
    private boolean caughtUp(NodeProcess replica, long offset) {
        if (offset < 0) {
            return true;
        }
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        try (NodeClient c = nodes.client(replica)) {
            while (NodeProbe.offset(NodeProbe.fields(c.info("replication"))) < offset) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(10);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A Failed backup, and an event saying why. */
    void fail(Backup b, String reason) {
        Log.warnf("instance %s: backup %d (shard %d) failed: %s", b.instanceId(), b.backupId(), b.shard(), reason);
        store.finishBackup(b.backupId(), Backup.FAILED, clock.now(), 0, null, reason);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("backupJobId", b.jobId());
        d.put("backupId", b.backupId());
        d.put("shard", b.shard());
        d.put("node", b.nodeId());
        d.put("reason", reason);
        events.record(b.instanceId(), Event.BACKUP_FAILED, d);
    }

    /** The databases that hold keys on the node now, as BackupDBNames lists them: "0,3". */
    private String databases(NodeProcess node) {
        try (NodeClient c = nodes.client(node)) {
            List<String> dbs = new ArrayList<>();
            for (String line : c.info("keyspace").split("\r?\n")) {
                if (line.startsWith("db") && line.contains(":")) {
                    dbs.add(line.substring(2, line.indexOf(':')));
                }
            }
            return String.join(",", dbs);
        }
    }

    /** The engine's RDB files start with "REDIS" and a version. */
    private static void checkRdb(Path file) throws IOException {
        byte[] head = new byte[5];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 5) != 5 || !Arrays.equals(head, "REDIS".getBytes(StandardCharsets.US_ASCII))) {
                throw new IOException("the node's snapshot is not an RDB file");
            }
        }
    }

    /** The instance's backups, oldest first, whose start is within [from, to] (either may be null). */
    public List<Backup> list(String instanceId, Instant from, Instant to) {
        if (!store.hasJobs(instanceId)) {
            instances.require(instanceId);  // 404 for an instance that neither exists nor left backups
        }
        return store.jobsOf(instanceId).stream().flatMap(j -> j.backups().stream())
                .filter(b -> (from == null || !b.startedAt().isBefore(from)) && (to == null || !b.startedAt().isAfter(to)))
                .toList();
    }

    /** @throws ServiceError 404 InvalidBackupId.NotFound */
    public Backup get(long backupId) {
        return store.backup(backupId).orElseThrow(() -> notFound(Long.toString(backupId)));
    }

    /**
     * A Success backup's RDB file (its download).
     *
     * @throws ServiceError 404 for an unknown backup, 409 for one that is Running or Failed
     */
    public Path file(long backupId) {
        Backup b = get(backupId);
        if (!Backup.SUCCESS.equals(b.status())) {
            throw new ServiceError(409, "OperationDenied.BackupStatus", "The backup " + backupId + " is " + b.status()
                    + ": only a backup whose status is Success has a file.");
        }
        return files.rdb(b.instanceId(), backupId);
    }

    /** Deletes the jobs whose retention has passed, with their files. */
    public void pruneExpired(Instant now) {
        for (BackupJob j : store.expiredBy(now)) {
            j.backups().forEach(b -> BackupFiles.delete(files.rdb(j.instanceId(), b.backupId())));
            store.deleteJob(j.jobId());
            Log.infof("instance %s: backup job %d expired (%s) and was deleted", j.instanceId(), j.jobId(), j.expiresAt());
        }
    }

    /** After a restart of kvsim: the jobs it was running when it stopped are Failed, their partial files gone. */
    void failInterrupted() {
        for (BackupJob j : store.running()) {
            for (Backup b : j.backups()) {
                BackupFiles.delete(files.partial(j.instanceId(), b.backupId()));
                if (Backup.RUNNING.equals(b.status())) {
                    fail(b, "kvsim stopped during the backup");
                }
            }
            store.finishJob(j.jobId(), clock.now());
        }
    }

    /** The service's not-found of a backup ID (also for one that is not a number). */
    public static ServiceError notFound(String backupId) {
        return new ServiceError(404, "InvalidBackupId.NotFound",
                "The BackupId provided does not exist in our records: " + backupId + ".");
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
