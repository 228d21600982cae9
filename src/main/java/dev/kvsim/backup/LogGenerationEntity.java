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
@Table(name = "backup_log_generations")
public class LogGenerationEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "chain_id")
    public String chainId;

    @Column(name = "base_file")
    public String baseFile;

    @Column(name = "first_incr_seq")
    public long firstIncrSeq;

    @Column(name = "based_at")
    public Instant basedAt;

    @Column(name = "based_ms")
    public long basedMs;
}
