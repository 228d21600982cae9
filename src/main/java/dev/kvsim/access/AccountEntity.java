package dev.kvsim.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One account of one instance; {@code id} is "instanceId/name". */
@Entity
@Table(name = "accounts")
public class AccountEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "instance_id")
    public String instanceId;

    public String name;

    /** A {@link PasswordHash}. */
    @Column(name = "password")
    public String passwordHash;

    public String privilege;

    /** The secret of the account's engine user, known to kvsim only. */
    @Column(name = "engine_password")
    public String enginePassword;

    @Column(name = "created_at")
    public Instant createdAt;

    public String description;
}
