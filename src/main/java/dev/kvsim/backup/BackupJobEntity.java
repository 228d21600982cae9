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
@Table(name = "backup_jobs")
public class BackupJobEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "job_id")
    public Long jobId;

    @Column(name = "instance_id")
    public String instanceId;

    public String mode;

    public String status;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "instance_class")
    public String instanceClass;

    @Column(name = "shard_count")
    public int shardCount;

    @Column(name = "slot_map")
    public String slotMap;

    @Column(name = "engine_version")
    public String engineVersion;
}
