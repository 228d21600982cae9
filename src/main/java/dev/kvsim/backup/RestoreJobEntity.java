package dev.kvsim.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "restore_jobs")
public class RestoreJobEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "instance_id")
    public String instanceId;

    public String kind;

    @Column(name = "source_instance_id")
    public String sourceInstanceId;

    @Column(name = "backup_job_id")
    public Long backupJobId;

    @Column(name = "restore_time")
    public Instant restoreTime;

    public String phase;

    /** The master node IDs whose prepared directories replace theirs, comma-separated. */
    @Column(name = "prepared_nodes")
    public String preparedNodes;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public String error;
}
