package dev.kvsim.instance;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "instances")
public class InstanceEntity extends PanacheEntityBase {

    @Id
    @Column(name = "instance_id")
    public String instanceId;

    public String name;

    @Column(name = "instance_class")
    public String instanceClass;

    public String status;

    public int port;

    /** The default account's password as a {@link dev.kvsim.access.PasswordHash}; null: password-free. */
    @Column(name = "password")
    public String passwordHash;

    @Column(name = "vpc_auth_mode")
    public String vpcAuthMode;

    @Column(name = "internal_password")
    public String internalPassword;

    @Column(name = "memory_mb")
    public Long memoryMb;

    @Column(name = "max_connections")
    public Integer maxConnections;

    @Column(name = "bandwidth_mbps")
    public Integer bandwidthMBps;

    @Column(name = "shard_count")
    public Integer shardCount;

    @Column(name = "qps_limit")
    public Integer qps;

    @Column(name = "slot_map")
    public String slotMap;

    @Column(name = "is_default")
    public boolean defaultInstance;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The maintenance window, HH:mmZ; null: kvsim's default window. */
    @Column(name = "maintain_start")
    public String maintainStart;

    @Column(name = "maintain_end")
    public String maintainEnd;

    /** Null in rows from before regions: the default region and its default zone. */
    @Column(name = "region_id")
    public String regionId;

    @Column(name = "zone_id")
    public String zoneId;

    @Column(name = "secondary_zone_id")
    public String secondaryZoneId;

    @Column(name = "network_type")
    public String networkType;

    @Column(name = "vpc_id")
    public String vpcId;

    @Column(name = "vswitch_id")
    public String vSwitchId;

    @Column(name = "major_version")
    public String majorVersion;

    /** A JSON object of tag keys and values; null: none. */
    public String tags;

    @Column(name = "release_protection")
    public boolean releaseProtection;

    @Column(name = "client_token")
    public String clientToken;
}
