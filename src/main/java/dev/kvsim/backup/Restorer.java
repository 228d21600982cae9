package dev.kvsim.backup;

import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two steps every restore and clone takes, each recorded in the {@link RestoreJournal} so that a restarted
 * kvsim can finish or undo it: prepare the data beside the target's node directories (Preparing; nothing of the
 * target changes), then, with its nodes stopped, swap it in (Swapping; each move a rename, the whole idempotent).
 */
@ApplicationScoped
public class Restorer {

    private final RestoreJournal journal;
    private final BackupStore backups;
    private final BackupFiles files;
    private final DataPreparer preparer;
    private final PointInTimeSource pointInTime;
    private final EventStore events;
    private final KvsimClock clock;

    public Restorer(RestoreJournal journal, BackupStore backups, BackupFiles files, DataPreparer preparer,
                    PointInTimeSource pointInTime, EventStore events, KvsimClock clock) {
        this.journal = journal;
        this.backups = backups;
        this.files = files;
        this.preparer = preparer;
        this.pointInTime = pointInTime;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The backup job that these backup IDs of the instance name (a cluster job has one per shard; any of them
     * names the job), as a restore source.
     *
     * @throws ServiceError 404 InvalidBackupId.NotFound for an ID that is not one of the instance's backups, 409
     *                      for a backup that is not Success, 400 for IDs of different jobs
     */
    public BackupJob jobOf(String instanceId, List<Long> backupIds) {
        BackupJob job = null;
        for (long id : backupIds) {
            Backup b = backups.backup(id).filter(x -> x.instanceId().equals(instanceId))
                    .orElseThrow(() -> BackupService.notFound(id + " (instance " + instanceId + " has no such backup)"));
            if (job != null && job.jobId() != b.jobId()) {
                throw ServiceError.invalid("The backups " + backupIds + " belong to different backup jobs; name the "
                        + "backups of one job (one per shard) or any one of them.");
            }
            job = backups.job(b.jobId()).orElseThrow(() -> BackupService.notFound(Long.toString(id)));
        }
        if (job == null) {
            throw BackupService.notFound("(none given)");
        }
        if (!Backup.SUCCESS.equals(job.status())) {
            throw new ServiceError(409, "OperationDenied.BackupStatus", "The backup job " + job.jobId() + " is "
                    + job.status() + ": only a job whose backups all succeeded can be restored.");
        }
        return job;
    }

    /** Lays the entry's source beside the target's nodes; from here on a restart finishes the restore. */
    List<String> prepare(StoredInstance target, RestoreJournal.Entry e) throws IOException {
        SourceData src = source(target, e);
        List<String> prepared = preparer.prepare(target, src, e.tag());
        journal.swapping(e.id(), prepared);
        return prepared;
    }

    /** With the target's nodes stopped (or none started yet): the prepared directories take their places. */
    void swap(StoredInstance target, RestoreJournal.Entry e, List<String> prepared) {
        List<String> others = target.nodes().stream().map(StoredNode::nodeId).filter(n -> !prepared.contains(n)).toList();
        try {
            RestoreSwap.swap(preparer.instanceDir(target.instanceId()), e.tag(), prepared, others);
        } catch (IOException ex) {
            throw new UncheckedIOException("the restored data could not be put in place: " + ex.getMessage(), ex);
        }
        journal.finish(e.id(), RestoreJournal.DONE, clock.now(), null);
        preparer.cleanUp(target.instanceId(), e.tag());
    }

    /** Undoes a restore that did not get to its swap: what it prepared goes, the instance keeps its data. */
    void abandon(String instanceId, RestoreJournal.Entry e, String reason) {
        preparer.cleanUp(instanceId, e.tag());
        journal.finish(e.id(), RestoreJournal.FAILED, clock.now(), reason);
        Log.warnf("instance %s: %s %d failed: %s", instanceId, e.kind().toLowerCase(), e.id(), reason);
        Map<String, Object> d = describe(e);
        d.put("reason", reason);
        d.put("outcome", RestoreJournal.CLONE.equals(e.kind()) ? "the new instance has no data"
                : "nothing was replaced: the instance keeps its data");
        events.record(instanceId, Event.RESTORE_FAILED, d);
    }

    /** The swap or the start after it failed: the nodes run on what their directories hold. */
    void failedSwap(String instanceId, RestoreJournal.Entry e, String reason) {
        journal.finish(e.id(), RestoreJournal.FAILED, clock.now(), reason);
        Map<String, Object> d = describe(e);
        d.put("reason", reason);
        d.put("outcome", "the nodes started on what their directories held after the failure");
        events.record(instanceId, Event.RESTORE_FAILED, d);
    }

    /**
     * A single-replica node loaded the restored data from dump.rdb; it keeps no data across a restart, as on the
     * service, so the file goes once the node runs.
     */
    void dropLoadedDumps(StoredInstance i) {
        if (preparer.appendOnly(i)) {
            return;
        }
        for (StoredNode n : i.nodes()) {
            try {
                java.nio.file.Files.deleteIfExists(preparer.instanceDir(i.instanceId()).resolve(n.nodeId())
                        .resolve(dev.kvsim.engine.AofFiles.DUMP));
            } catch (IOException ignored) {
                // a leftover dump.rdb only brings the data back at the node's next start
            }
        }
    }

    /** The event of a restore or clone done. */
    void restored(String instanceId, RestoreJournal.Entry e, String note) {
        Map<String, Object> d = describe(e);
        d.put("requestedAt", e.requestedAt().toString());
        d.put("doneAt", clock.now().toString());
        if (note != null) {
            d.put("note", note);
        }
        events.record(instanceId, Event.BACKUP_RESTORED, d);
    }

    private Map<String, Object> describe(RestoreJournal.Entry e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", e.kind());
        d.put("sourceInstanceId", e.sourceInstanceId());
        if (e.backupJobId() != null) {
            d.put("backupJobId", e.backupJobId());
            backups.job(e.backupJobId()).ifPresent(j -> d.put("backupIds", j.backups().stream().map(Backup::backupId).toList()));
        }
        if (e.restoreTime() != null) {
            d.put("restoreTime", e.restoreTime().toString());
        }
        return d;
    }

    private SourceData source(StoredInstance target, RestoreJournal.Entry e) throws IOException {
        if (e.restoreTime() != null) {
            return pointInTime.sourceAt(e.sourceInstanceId(), e.restoreTime(),
                    shard -> preparer.scratch(target.instanceId(), e.tag(), "log-" + shard));
        }
        BackupJob job = backups.job(e.backupJobId()).orElseThrow(() ->
                new IOException("backup job " + e.backupJobId() + " no longer exists (its retention passed)"));
        List<SourceData.Shard> shards = job.backups().stream().map(b -> {
            Path rdb = files.rdb(job.instanceId(), b.backupId());
            return new SourceData.Shard(b.shard(), rdb, null);
        }).toList();
        return new SourceData(job.instanceId(), job.instanceClass(), job.shardCount(), job.slotMap(), shards);
    }
}
