package dev.kvsim.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One whitelist group of one instance; {@code id} is "instanceId/group", {@code ips} comma-separated. */
@Entity
@Table(name = "security_ip_groups")
public class SecurityIpEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "instance_id")
    public String instanceId;

    @Column(name = "group_name")
    public String groupName;

    public String ips;
}
