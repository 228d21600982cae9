package dev.kvsim.backup;

import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.InstanceProvisioner;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.DayOfWeek;
import java.util.Set;

/** An instance's backup policy: DescribeBackupPolicy and ModifyBackupPolicy, the backup log turned on and off. */
@ApplicationScoped
public class BackupPolicyService {

    private final BackupPolicyStore store;
    private final InstanceStore instances;
    private final InstanceProvisioner provisioner;
    private final BackupLog log;
    private final PointInTimeSource pointInTime;

    public BackupPolicyService(BackupPolicyStore store, InstanceStore instances, InstanceProvisioner provisioner,
                               BackupLog log, PointInTimeSource pointInTime) {
        this.store = store;
        this.instances = instances;
        this.provisioner = provisioner;
        this.log = log;
        this.pointInTime = pointInTime;
    }

    /** @throws ServiceError 404 for an unknown instance */
    public BackupPolicy get(String instanceId) {
        instances.require(instanceId);
        return store.of(instanceId);
    }

    /**
     * Changes what is given (null: unchanged). Turning the backup log on needs an engine with AOF timestamps and
     * an instance that persists (dual replica or cluster) and is Normal; its window starts once every shard's
     * node has written a first base.
     *
     * @throws ServiceError 404 unknown instance, 400 a bad value or a log kvsim cannot keep, 409 not Normal
     */
    public BackupPolicy modify(String instanceId, Set<DayOfWeek> days, Integer startHour, Integer retentionDays,
                               Boolean backupLog) {
        StoredInstance i = instances.require(instanceId);
        if (retentionDays != null) {
            BackupPolicy.checkRetention("The backup retention period", retentionDays);
        }
        BackupPolicy before = store.of(instanceId);
        BackupPolicy after = before.with(days, startHour, retentionDays, backupLog);
        boolean logChanges = after.backupLog() != before.backupLog();
        if (logChanges && after.backupLog()) {
            pointInTime.checkEngine();
            if (!provisioner.appendOnly(i)) {
                throw ServiceError.invalid("Instance " + instanceId + " is a single-replica instance: it keeps no AOF, "
                        + "so it has no backup log (EnableBackupLog needs a dual-replica or cluster instance).");
            }
        }
        if (logChanges && i.status() != InstanceStatus.Normal) {
            throw ServiceError.wrongState(instanceId, i.status());
        }
        store.save(instanceId, after);
        if (logChanges) {
            provisioner.applyEngineConfig(instanceId, after.backupLog() ? BackupLogSettings.ON : BackupLogSettings.OFF);
            if (after.backupLog()) {
                log.start(instanceId);
            } else {
                log.drop(instanceId);
            }
        }
        return store.of(instanceId);
    }
}
