package dev.kvsim.backup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Backup jobs and their files' records; hands out detached {@link BackupJob} and {@link Backup} values. */
@ApplicationScoped
public class BackupStore {

    /** A shard to back up and the node its snapshot is read from. */
    public record Planned(int shard, String nodeId) {
    }

    @Transactional
    public BackupJob createJob(String instanceId, String mode, Instant now, Instant expiresAt, String instanceClass,
                               int shardCount, String slotMap, String engineVersion, List<Planned> shards) {
        BackupJobEntity j = new BackupJobEntity();
        j.instanceId = instanceId;
        j.mode = mode;
        j.status = Backup.RUNNING;
        j.startedAt = now;
        j.expiresAt = expiresAt;
        j.instanceClass = instanceClass;
        j.shardCount = shardCount;
        j.slotMap = slotMap;
        j.engineVersion = engineVersion;
        j.persist();
        for (Planned p : shards) {
            BackupEntity b = new BackupEntity();
            b.jobId = j.jobId;
            b.instanceId = instanceId;
            b.shard = p.shard();
            b.nodeId = p.nodeId();
            b.status = Backup.RUNNING;
            b.startedAt = now;
            b.persist();
        }
        BackupEntity.flush();
        return toJob(j);
    }

    @Transactional
    public void finishBackup(long backupId, String status, Instant at, long size, String dbNames, String error) {
        BackupEntity b = BackupEntity.findById(backupId);
        if (b != null) {
            b.status = status;
            b.finishedAt = at;
            b.sizeBytes = size;
            b.dbNames = dbNames;
            b.error = error == null ? null : error.substring(0, Math.min(error.length(), 2000));
        }
    }

    /** The job is done: Success when every backup of it succeeded. */
    @Transactional
    public BackupJob finishJob(long jobId, Instant at) {
        BackupJobEntity j = BackupJobEntity.findById(jobId);
        boolean ok = BackupEntity.<BackupEntity>list("jobId", jobId).stream().allMatch(b -> Backup.SUCCESS.equals(b.status));
        j.status = ok ? Backup.SUCCESS : Backup.FAILED;
        j.finishedAt = at;
        return toJob(j);
    }

    @Transactional
    public Optional<BackupJob> job(long jobId) {
        return BackupJobEntity.<BackupJobEntity>findByIdOptional(jobId).map(this::toJob);
    }

    @Transactional
    public Optional<Backup> backup(long backupId) {
        return BackupEntity.<BackupEntity>findByIdOptional(backupId)
                .map(b -> toBackup(b, BackupJobEntity.findById(b.jobId)));
    }

    /** The instance's jobs, oldest first (also of an instance released since). */
    @Transactional
    public List<BackupJob> jobsOf(String instanceId) {
        return BackupJobEntity.<BackupJobEntity>list("instanceId = ?1 order by startedAt, jobId", instanceId).stream()
                .map(this::toJob).toList();
    }

    @Transactional
    public boolean hasJobs(String instanceId) {
        return BackupJobEntity.count("instanceId", instanceId) > 0;
    }

    @Transactional
    public Optional<BackupJob> runningJob(String instanceId) {
        return BackupJobEntity.<BackupJobEntity>find("instanceId = ?1 and status = ?2", instanceId, Backup.RUNNING)
                .firstResultOptional().map(this::toJob);
    }

    /** Every job still Running: after a restart of kvsim, ones it was making when it stopped. */
    @Transactional
    public List<BackupJob> running() {
        return BackupJobEntity.<BackupJobEntity>list("status", Backup.RUNNING).stream().map(this::toJob).toList();
    }

    @Transactional
    public List<BackupJob> expiredBy(Instant now) {
        return BackupJobEntity.<BackupJobEntity>list("expiresAt <= ?1 and status <> ?2", now, Backup.RUNNING).stream()
                .map(this::toJob).toList();
    }

    @Transactional
    public void deleteJob(long jobId) {
        BackupEntity.delete("jobId", jobId);
        BackupJobEntity.deleteById(jobId);
    }

    private BackupJob toJob(BackupJobEntity j) {
        List<Backup> backups = BackupEntity.<BackupEntity>list("jobId", j.jobId).stream()
                .sorted(Comparator.comparingInt((BackupEntity b) -> b.shard)).map(b -> toBackup(b, j)).toList();
        return new BackupJob(j.jobId, j.instanceId, j.mode, j.status, j.startedAt, j.finishedAt, j.expiresAt,
                j.instanceClass, j.shardCount, j.slotMap, j.engineVersion, backups);
    }

    private static Backup toBackup(BackupEntity b, BackupJobEntity j) {
        return new Backup(b.backupId, b.jobId, b.instanceId, b.shard, b.nodeId, b.status, j.mode, b.startedAt,
                b.finishedAt, b.sizeBytes, b.dbNames, j.engineVersion, j.expiresAt, b.error);
    }
}
