package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /api/v1/instances}, built fluently:
 * {@code CreateInstance.of("redis.master.small.default").password("Passw0rd!").memoryMb(64)}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class CreateInstance {

    private final String instanceClass;
    private String name;
    private String password;
    private Integer port;
    private final Overrides overrides = new Overrides();

    private CreateInstance(String instanceClass) {
        this.instanceClass = instanceClass;
    }

    public static CreateInstance of(String instanceClass) {
        return new CreateInstance(instanceClass);
    }

    public CreateInstance name(String name) {
        this.name = name;
        return this;
    }

    /** No password (the default): a password-free instance. */
    public CreateInstance password(String password) {
        this.password = password;
        return this;
    }

    /** A fixed RESP port; 0 or unset: kvsim picks a free one. */
    public CreateInstance port(int port) {
        this.port = port;
        return this;
    }

    public CreateInstance memoryMb(long memoryMb) {
        overrides.memoryMb = memoryMb;
        return this;
    }

    public CreateInstance maxConnections(int maxConnections) {
        overrides.maxConnections = maxConnections;
        return this;
    }

    public CreateInstance bandwidthMBps(int bandwidthMBps) {
        overrides.bandwidthMBps = bandwidthMBps;
        return this;
    }

    /** Shards of a cluster class (at least 2), fewer than the class's for cheap test clusters. */
    public CreateInstance shardCount(int shardCount) {
        overrides.shardCount = shardCount;
        return this;
    }

    public CreateInstance qps(int qps) {
        overrides.qps = qps;
        return this;
    }

    public String getInstanceClass() {
        return instanceClass;
    }

    public String getName() {
        return name;
    }

    public String getPassword() {
        return password;
    }

    public Integer getPort() {
        return port;
    }

    public Overrides getOverrides() {
        return overrides.isEmpty() ? null : overrides;
    }

    /** kvsim's test overrides of the class's limits. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Overrides {
        public Long memoryMb;
        public Integer maxConnections;
        public Integer bandwidthMBps;
        public Integer shardCount;
        public Integer qps;

        boolean isEmpty() {
            return memoryMb == null && maxConnections == null && bandwidthMBps == null && shardCount == null && qps == null;
        }
    }
}
