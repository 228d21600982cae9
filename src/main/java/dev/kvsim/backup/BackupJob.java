package dev.kvsim.backup;

import java.time.Instant;
import java.util.List;

/**
 * A backup job: one snapshot of every shard of an instance, and what the instance was when it ran (its class and
 * slot map tell a restore or a clone how the keys were spread).
 *
 * @param status Running until every shard is done; Success when every shard succeeded, else Failed
 */
public record BackupJob(long jobId, String instanceId, String mode, String status, Instant startedAt,
                        Instant finishedAt, Instant expiresAt, String instanceClass, int shardCount, String slotMap,
                        String engineVersion, List<Backup> backups) {

    public boolean running() {
        return Backup.RUNNING.equals(status);
    }
}
