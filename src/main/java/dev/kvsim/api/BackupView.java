package dev.kvsim.api;

import dev.kvsim.backup.Backup;
import dev.kvsim.backup.BackupJob;

import java.time.Instant;
import java.util.List;

/**
 * A backup as the admin API shows it: one shard's RDB file of a backup job, with where to download it.
 *
 * @param downloadUrl where kvsim serves the file (a Success backup's only)
 */
public record BackupView(long backupId, long backupJobId, String instanceId, int shard, String nodeId, String status,
                         String mode, String method, String type, Instant startedAt, Instant finishedAt, long sizeBytes,
                         String dbNames, String engineVersion, Instant expiresAt, String error, String downloadUrl) {

    static BackupView of(Backup b, String baseUrl) {
        return new BackupView(b.backupId(), b.jobId(), b.instanceId(), b.shard(), b.nodeId(), b.status(), b.mode(),
                Backup.METHOD, Backup.TYPE, b.startedAt(), b.finishedAt(), b.sizeBytes(), b.dbNames(), b.engineVersion(),
                b.expiresAt(), b.error(), Backup.SUCCESS.equals(b.status())
                        ? baseUrl + "api/v1/backups/" + b.backupId() + "/file" : null);
    }

    /** A backup job: every shard's backup. */
    public record Job(long backupJobId, String instanceId, String mode, String status, Instant startedAt,
                      Instant finishedAt, Instant expiresAt, List<BackupView> backups) {

        static Job of(BackupJob j, String baseUrl) {
            return new Job(j.jobId(), j.instanceId(), j.mode(), j.status(), j.startedAt(), j.finishedAt(), j.expiresAt(),
                    j.backups().stream().map(b -> BackupView.of(b, baseUrl)).toList());
        }
    }
}
