package dev.kvsim.backup;

import java.time.Instant;

/**
 * One backup file: a shard's RDB snapshot in a backup job (a standard instance's job has one). Method, type and
 * mode use the service's values.
 *
 * @param nodeId    the node the snapshot was read from: the shard's replica when it had one
 * @param dbNames   the databases that held keys, comma-separated ({@code 0,3}); null until done
 * @param expiresAt when the backup is deleted; null: kept until deleted
 * @param error     why a Failed backup failed
 */
public record Backup(long backupId, long jobId, String instanceId, int shard, String nodeId, String status,
                     String mode, Instant startedAt, Instant finishedAt, long sizeBytes, String dbNames,
                     String engineVersion, Instant expiresAt, String error) {

    public static final String RUNNING = "Running";
    public static final String SUCCESS = "Success";
    public static final String FAILED = "Failed";
    public static final String MANUAL = "Manual";
    public static final String AUTOMATED = "Automated";
    /** An RDB file of the engine's own format. */
    public static final String METHOD = "Physical";
    public static final String TYPE = "FullBackup";
}
