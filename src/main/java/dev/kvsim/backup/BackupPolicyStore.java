package dev.kvsim.backup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Backup policies; an instance without a stored one has kvsim's default. */
@ApplicationScoped
public class BackupPolicyStore {

    private final int defaultStartHour;

    public BackupPolicyStore(@ConfigProperty(name = "kvsim.backup.default-time", defaultValue = "02:00Z-03:00Z")
                             String defaultTime) {
        this.defaultStartHour = BackupPolicy.parseWindow("kvsim.backup.default-time", defaultTime);
    }

    @Transactional
    public BackupPolicy of(String instanceId) {
        return BackupPolicyEntity.<BackupPolicyEntity>findByIdOptional(instanceId).map(BackupPolicyStore::toPolicy)
                .orElse(BackupPolicy.defaults(defaultStartHour));
    }

    /** Every stored policy whose backup log is on, by instance. */
    @Transactional
    public List<String> withBackupLog() {
        return BackupPolicyEntity.<BackupPolicyEntity>list("backupLog", true).stream().map(e -> e.instanceId).toList();
    }

    @Transactional
    public void save(String instanceId, BackupPolicy p) {
        BackupPolicyEntity e = BackupPolicyEntity.<BackupPolicyEntity>findByIdOptional(instanceId).orElseGet(() -> {
            BackupPolicyEntity fresh = new BackupPolicyEntity();
            fresh.instanceId = instanceId;
            return fresh;
        });
        e.backupDays = p.daysText();
        e.backupTime = p.windowText();
        e.retentionDays = p.retentionDays();
        e.backupLog = p.backupLog();
        e.logStart = p.logStart();
        e.persist();
    }

    /** The backup log covers the instance from this instant on (its first bases are written). */
    @Transactional
    public void setLogStart(String instanceId, Instant at) {
        BackupPolicyEntity.update("logStart = ?1 where instanceId = ?2 and backupLog = true", at, instanceId);
    }

    /** The instances with a stored policy (released ones included, until their backups are gone). */
    @Transactional
    public List<String> stored() {
        return BackupPolicyEntity.<BackupPolicyEntity>listAll().stream().map(e -> e.instanceId).toList();
    }

    @Transactional
    public void delete(String instanceId) {
        BackupPolicyEntity.deleteById(instanceId);
    }

    private static BackupPolicy toPolicy(BackupPolicyEntity e) {
        Set<DayOfWeek> days = e.backupDays.isEmpty() ? EnumSet.allOf(DayOfWeek.class)
                : BackupPolicy.parseDays("backup_days", List.of(e.backupDays.split(",")));
        return new BackupPolicy(days, BackupPolicy.parseWindow("backup_time", e.backupTime), e.retentionDays,
                e.backupLog, e.logStart);
    }
}
