package dev.kvsim.params;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One changed parameter of one instance; {@code id} is "instanceId/name". */
@Entity
@Table(name = "instance_parameters")
public class ParameterEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "instance_id")
    public String instanceId;

    public String name;

    @Column(name = "param_value")
    public String value;
}
