package dev.kvsim.backup;

import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.CloneSource;
import dev.kvsim.instance.CreateInstanceRequest;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.Overrides;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.InstanceSeed;
import dev.kvsim.lifecycle.InstanceService;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * A new instance holding another's data (CreateInstance with SrcDBInstanceId, and BackupId or RestoreTime): a backup
 * of it, or its backup log at a second. The source may have been released since, within its backups' retention.
 * The new instance's class is the same or bigger; a cluster's shards are restored one by one, or their keys spread
 * over another number of shards.
 */
@ApplicationScoped
public class CloneService {

    private final InstanceService lifecycle;
    private final InstanceStore instances;
    private final BackupStore backups;
    private final Restorer restorer;
    private final RestoreJournal journal;
    private final PointInTimeSource pointInTime;
    private final Catalog catalog;
    private final KvsimClock clock;

    public CloneService(InstanceService lifecycle, InstanceStore instances, BackupStore backups, Restorer restorer,
                        RestoreJournal journal, PointInTimeSource pointInTime, Catalog catalog, KvsimClock clock) {
        this.lifecycle = lifecycle;
        this.instances = instances;
        this.backups = backups;
        this.restorer = restorer;
        this.journal = journal;
        this.pointInTime = pointInTime;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * @param restoreTime the source's {@code restoreTime}, parsed by the face (which names its own field)
     * @throws ServiceError 404 unknown source or backup, 400 a smaller class or a time outside the log's window
     */
    public StoredInstance create(CreateInstanceRequest req, Instant restoreTime, boolean wait) {
        CloneSource src = req.source();
        String sourceId = src.instanceId();
        if (instances.find(sourceId).isEmpty() && !backups.hasJobs(sourceId) && !pointInTime.hasLog(sourceId)) {
            throw ServiceError.notFound(sourceId);
        }
        BackupJob job = null;
        String sourceClass;
        int sourceShards;
        if (restoreTime != null) {
            PointInTimeSource.Window w = pointInTime.window(sourceId);
            if (w.from() == null || restoreTime.isBefore(w.from()) || restoreTime.isAfter(w.to())) {
                throw BackupLog.outside(restoreTime, w.from(), w.to());
            }
            sourceClass = pointInTime.sourceClass(sourceId);
            sourceShards = pointInTime.sourceShards(sourceId);
        } else {
            job = restorer.jobOf(sourceId, List.of(src.backupId()));
            sourceClass = job.instanceClass();
            sourceShards = job.shardCount();
        }
        CreateInstanceRequest own = req.instanceClass() == null ? like(req, sourceClass, sourceShards) : req;
        checkSize(own, sourceClass);
        Long jobId = job == null ? null : job.jobId();
        return lifecycle.create(own.withoutSource(), wait, new Seed(sourceId, jobId, restoreTime));
    }

    /** Without a class of its own, a clone is its source's class and, for a cluster, its number of shards. */
    private CreateInstanceRequest like(CreateInstanceRequest req, String sourceClass, int sourceShards) {
        CreateInstanceRequest own = req.withInstanceClass(sourceClass);
        InstanceClass c = sourceClass == null ? null : catalog.find(sourceClass).orElse(null);
        Overrides o = req.overrides() == null ? Overrides.NONE : req.overrides();
        if (c == null || !c.isCluster() || o.shardCount() != null || sourceShards == c.shards()) {
            return own;
        }
        return own.withOverrides(new Overrides(o.memoryMb(), o.maxConnections(), o.bandwidthMBps(), sourceShards, o.qps()));
    }

    /** The same or a bigger class: the clone's class has at least the memory of the source's (overrides aside). */
    private void checkSize(CreateInstanceRequest req, String sourceClass) {
        InstanceClass target = catalog.find(req.instanceClass()).orElse(null);
        InstanceClass source = sourceClass == null ? null : catalog.find(sourceClass).orElse(null);
        if (target == null || source == null) {
            return;  // an unknown target class is refused by the create; a source class gone from the catalogue is not checked
        }
        if (target.memoryMb() < source.memoryMb()) {
            throw ServiceError.invalid("A clone needs the same or a bigger class than its source: " + target.name()
                    + " has " + target.memoryMb() + " MB, the source's class " + source.name() + " has "
                    + source.memoryMb() + " MB.");
        }
    }

    /** Lays the source's data into the new instance before its nodes first start. */
    final class Seed implements InstanceSeed {
        private final String sourceId;
        private final Long jobId;
        private final Instant restoreTime;
        private RestoreJournal.Entry entry;

        Seed(String sourceId, Long jobId, Instant restoreTime) {
            this.sourceId = sourceId;
            this.jobId = jobId;
            this.restoreTime = restoreTime;
        }

        @Override
        public void accepted(StoredInstance i) {
            entry = journal.begin(i.instanceId(), RestoreJournal.CLONE, sourceId, jobId, restoreTime, clock.now());
        }

        @Override
        public void lay(StoredInstance i) {
            layClone(i, entry, null);
        }

        @Override
        public void started(StoredInstance i) {
            restorer.dropLoadedDumps(i);
        }
    }

    /** Prepares and puts the clone's data in place; also what a restarted kvsim redoes for a clone it left. */
    void layClone(StoredInstance i, RestoreJournal.Entry entry, String note) {
        List<String> prepared;
        try {
            prepared = restorer.prepare(i, entry);
        } catch (IOException | RuntimeException e) {
            restorer.abandon(i.instanceId(), entry, RestoreService.message(e));
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        restorer.swap(i, entry, prepared);
        restorer.restored(i.instanceId(), entry, note);
    }
}
