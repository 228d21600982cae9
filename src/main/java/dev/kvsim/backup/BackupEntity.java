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
@Table(name = "backups")
public class BackupEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "backup_id")
    public Long backupId;

    @Column(name = "job_id")
    public Long jobId;

    @Column(name = "instance_id")
    public String instanceId;

    public int shard;

    @Column(name = "node_id")
    public String nodeId;

    public String status;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "size_bytes")
    public long sizeBytes;

    /** The databases that held keys, comma-separated: 0,3. */
    @Column(name = "db_names")
    public String dbNames;

    public String error;
}
