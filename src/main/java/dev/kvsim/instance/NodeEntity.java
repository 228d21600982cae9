package dev.kvsim.instance;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "nodes")
public class NodeEntity extends PanacheEntityBase {

    @Id
    @Column(name = "node_id")
    public String nodeId;

    @Column(name = "instance_id")
    public String instanceId;

    public String role;

    public int shard;

    public int port;
}
