package dev.kvsim.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "backup_log_chains")
public class LogChainEntity extends PanacheEntityBase {

    @Id
    @Column(name = "chain_id")
    public String chainId;

    @Column(name = "instance_id")
    public String instanceId;

    public int shard;

    @Column(name = "node_id")
    public String nodeId;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "shipped_ms")
    public long shippedMs;

    public boolean ended;

    @Column(name = "instance_class")
    public String instanceClass;

    @Column(name = "shard_count")
    public int shardCount;

    @Column(name = "slot_map")
    public String slotMap;
}
