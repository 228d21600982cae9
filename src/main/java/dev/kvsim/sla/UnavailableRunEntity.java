package dev.kvsim.sla;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Consecutive unavailable minutes [firstMinute, endMinute) of one instance with one cause. */
@Entity
@Table(name = "sla_unavailable")
public class UnavailableRunEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "instance_id")
    public String instanceId;

    @Column(name = "minute_ms")
    public long minuteMs;

    @Column(name = "first_minute")
    public long firstMinute;

    @Column(name = "end_minute")
    public long endMinute;

    public String cause;

    public String detail;

    public boolean excluded;
}
