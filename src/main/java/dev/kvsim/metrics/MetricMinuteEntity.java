package dev.kvsim.metrics;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One stored minute of one series; {@code valueData} is a JSON object of key to value. */
@Entity
@Table(name = "metric_minutes")
public class MetricMinuteEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "instance_id")
    public String instanceId;

    public String scope;

    @Column(name = "epoch_minute")
    public long minute;

    @Column(name = "node_role")
    public String nodeRole;

    public int samples;

    @Column(name = "value_data")
    public String valueData;
}
