package dev.kvsim.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every metric kvsim samples, by the service's monitor item name where the service has one (DescribeMonitorItems,
 * DescribeHistoryMonitorValues) and in its style where it has none (marked kvsim's own in docs/monitoring.md).
 * An instance's series has the {@link #instance} keys; a shard's and a node's have the {@link #node} keys.
 *
 * <p>New keys go at the end of a level's list: stored minutes name their keys, so older rows stay readable.
 */
public enum MetricKey {

    // the proxy: what clients see
    UsedQPS("UsedQPS", "Counts/s", "kvsim.ops.per.second", "commands per second (through the proxy; a node's own count for a node)", true, true),
    ReadQPS("ReadQPS", "Counts/s", "kvsim.read.ops.per.second", "read commands per second (the engine's readonly flag)", true, false),
    WriteQPS("WriteQPS", "Counts/s", "kvsim.write.ops.per.second", "write commands per second (the engine's write flag)", true, false),
    OtherQPS("OtherQPS", "Counts/s", "kvsim.other.ops.per.second", "other commands per second (connection, server, pub/sub …)", true, false),
    UsedConnection("UsedConnection", "Counts", "kvsim.connections", "client connections open (a node: its own connected_clients)", true, true),
    ConnectionUsage("connectionUsage", "%", "kvsim.connection.usage.percent", "client connections against the class's cap", true, false),
    IntranetIn("intranetIn", "KBps", "kvsim.inbound.kilobytes.per.second", "inbound traffic, KB (1024 bytes) per second", true, true),
    IntranetOut("intranetOut", "KBps", "kvsim.outbound.kilobytes.per.second", "outbound traffic, KB per second", true, true),
    IntranetInRatio("intranetInRatio", "%", "kvsim.inbound.bandwidth.usage.percent", "inbound traffic against the bandwidth cap", true, false),
    IntranetOutRatio("intranetOutRatio", "%", "kvsim.outbound.bandwidth.usage.percent", "outbound traffic against the bandwidth cap", true, false),
    AvgRt("avgRt", "us", "kvsim.latency.average.microseconds", "the proxy's average round trip, command in to reply out", true, false),
    MaxRt("maxRt", "us", "kvsim.latency.max.microseconds", "the proxy's longest round trip", true, false, Aggregation.MAX),
    BandwidthThrottled("BandwidthThrottled", "Counts/s", "kvsim.bandwidth.throttled.per.second", "times per second the bandwidth cap held a connection back", true, false),
    QpsThrottled("QpsThrottled", "Counts/s", "kvsim.qps.throttled.per.second", "times per second the QPS cap held a client back", true, false),
    WhitelistRefused("WhitelistRefused", "Counts/s", "kvsim.whitelist.refused.per.second", "connections per second from addresses the whitelist refuses", true, false),
    AuthRefused("AuthRefused", "Counts/s", "kvsim.auth.refused.per.second", "requests per second refused for authentication (NOAUTH, a wrong password)", true, false),
    ReservedRefused("ReservedRefused", "Counts/s", "kvsim.reserved.refused.per.second", "requests per second for reserved or disabled commands", true, false),
    // the nodes: an instance's figure is its masters' (summed; CPU: the busiest)
    CpuUsage("CpuUsage", "%", "kvsim.cpu.usage.percent", "CPU of the node process (the instance: its busiest master)", true, true),
    UsedMemory("UsedMemory", "Bytes", "kvsim.memory.used.bytes", "memory used (the engine's used_memory)", true, true),
    QuotaMemory("quotaMemory", "Bytes", "kvsim.memory.quota.bytes", "memory quota (the nodes' maxmemory)", true, true),
    MemoryUsage("memoryUsage", "%", "kvsim.memory.usage.percent", "memory used against the quota", true, true),
    Keys("Keys", "Counts", "kvsim.keys", "keys in every database", true, true),
    Expires("Expires", "Counts", "kvsim.expires", "keys with a time to live", true, true),
    EvictedKeys("evictedKeys", "Counts/s", "kvsim.evicted.keys.per.second", "keys evicted per second (maxmemory-policy)", true, true),
    ExpiredKeys("expiredKeys", "Counts/s", "kvsim.expired.keys.per.second", "keys expired per second", true, true),
    HitRate("hitRate", "%", "kvsim.hit.rate.percent", "key lookups that found their key (keyspace hits against hits and misses)", true, true);

    /** How seconds combine into a longer interval. */
    public enum Aggregation {
        AVG, MAX
    }

    private static final Map<String, MetricKey> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(k -> k.serviceName.toLowerCase(Locale.ROOT), Function.identity()));
    private static final List<MetricKey> INSTANCE_KEYS = Arrays.stream(values()).filter(k -> k.instance).toList();
    private static final List<MetricKey> NODE_KEYS = Arrays.stream(values()).filter(k -> k.node).toList();

    private final String serviceName;
    private final String unit;
    private final String meterName;
    private final String description;
    private final boolean instance;
    private final boolean node;
    private final Aggregation aggregation;

    MetricKey(String serviceName, String unit, String meterName, String description, boolean instance, boolean node) {
        this(serviceName, unit, meterName, description, instance, node, Aggregation.AVG);
    }

    MetricKey(String serviceName, String unit, String meterName, String description, boolean instance, boolean node,
              Aggregation aggregation) {
        this.serviceName = serviceName;
        this.unit = unit;
        this.meterName = meterName;
        this.description = description;
        this.instance = instance;
        this.node = node;
        this.aggregation = aggregation;
    }

    /** The name the APIs use (the service's MonitorKey). */
    public String serviceName() {
        return serviceName;
    }

    public String unit() {
        return unit;
    }

    /** The Micrometer meter name; Prometheus shows it with underscores. */
    public String meterName() {
        return meterName;
    }

    public String description() {
        return description;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    /** Whether a series of this level has the key. */
    public boolean appliesTo(MetricScope.Level level) {
        return level == MetricScope.Level.INSTANCE ? instance : node;
    }

    /** The keys a series of this level holds, in storage order. */
    public static List<MetricKey> of(MetricScope.Level level) {
        return level == MetricScope.Level.INSTANCE ? INSTANCE_KEYS : NODE_KEYS;
    }

    /** By its service name, in any case (the service's own names mix them: UsedMemory, memoryUsage). */
    public static Optional<MetricKey> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
