package dev.kvsim.quarkus.deployment;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;

@ConfigGroup
public interface KvsimDevServicesConfig {

    /**
     * Whether the kvsim dev service runs. It starts kvsim only in dev and test mode, when the application uses
     * {@code quarkus-redis-client} and {@code quarkus.redis.hosts} is not set.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The instance class of the instance the dev service creates, e.g. {@code redis.master.small.default} (1 GB
     * standard, dual replica) or a cluster class such as {@code redis.logic.sharding.2g.8db.0rodb.8proxy.default}.
     */
    @WithDefault("redis.master.small.default")
    String instanceClass();

    /**
     * The instance's password. Unset: a password-free instance.
     */
    Optional<String> password();

    /**
     * kvsim's HA profile: {@code fast} (failover and switchover well under a second, for CI) or {@code realistic}
     * (the service's timings: about 11 s to fail over a dead master).
     */
    @WithDefault("fast")
    String profile();

    /**
     * The number of shards, for cluster classes (at least 2). Unset: the class's own.
     */
    OptionalInt shardCount();

    /**
     * A fixed RESP port for the instance. Unset: a free port.
     */
    OptionalInt port();

    /**
     * kvsim's runnable artifact: its {@code quarkus-run.jar}, the directory holding it, or its {@code -app.zip}.
     * Unset: the system property {@code kvsim.artifact}, else the environment variable {@code KVSIM_ARTIFACT},
     * else {@code ~/.m2/repository/dev/kvsim/kvsim/<version>/kvsim-<version>-app.zip}.
     */
    Optional<String> artifact();

    /**
     * How long to wait for kvsim and its instance to be up.
     */
    @WithDefault("120s")
    Duration startTimeout();

    /**
     * Further kvsim configuration keys, passed to kvsim as {@code -Dkey=value}, e.g.
     * {@code quarkus.kvsim.devservices.properties."kvsim.sla.minute-length"=5s}.
     */
    @ConfigDocMapKey("kvsim-config-key")
    Map<String, String> properties();
}
