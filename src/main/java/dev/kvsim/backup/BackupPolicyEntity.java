package dev.kvsim.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "backup_policies")
public class BackupPolicyEntity extends PanacheEntityBase {

    @Id
    @Column(name = "instance_id")
    public String instanceId;

    /** Day names, comma-separated: Monday,Tuesday. */
    @Column(name = "backup_days")
    public String backupDays;

    /** HH:mmZ-HH:mmZ. */
    @Column(name = "backup_time")
    public String backupTime;

    @Column(name = "retention_days")
    public int retentionDays;

    @Column(name = "backup_log")
    public boolean backupLog;

    @Column(name = "log_start")
    public Instant logStart;
}
