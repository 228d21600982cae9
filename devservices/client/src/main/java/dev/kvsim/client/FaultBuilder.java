package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every fault type can be told: its target, stream, toxicity, command filter, schedule and SLA
 * exclusion. {@link #start()} injects it and answers an {@link ActiveFault} that removes it when closed, so
 * {@code try (var f = admin.faults(id).latency(Duration.ofMillis(200)).start()) { … }} scopes a fault to a block.
 *
 * @param <B> the concrete builder, so that the common options chain with the type's own
 */
public abstract class FaultBuilder<B extends FaultBuilder<B>> {

    private final AdminHttp http;
    private final String instanceId;
    private final String type;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private Integer shard;
    private String node;
    private Integer proxy;
    private String stream;
    private Double toxicity;
    private List<String> commands;
    private String keyPattern;
    private Instant startAt;
    private Long durationMs;
    private Long seed;
    private Boolean slaExcluded;

    FaultBuilder(AdminHttp http, String instanceId, String type) {
        this.http = http;
        this.instanceId = instanceId;
        this.type = type;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    final B attribute(String name, Object value) {
        attributes.put(name, value);
        return self();
    }

    /** Only this shard of a cluster instance (both its nodes unless {@link #master()}/{@link #replica()}). */
    public B shard(int shard) {
        this.shard = shard;
        return self();
    }

    /** Only the master node (of shard 0, or of the shard given). */
    public B master() {
        this.node = "master";
        return self();
    }

    /** Only the replica node (of shard 0, or of the shard given). */
    public B replica() {
        this.node = "replica";
        return self();
    }

    /** Only the client connections one logical proxy of a cluster instance serves. */
    public B proxy(int proxy) {
        this.proxy = proxy;
        return self();
    }

    /** Network faults: client → server bytes. */
    public B upstream() {
        this.stream = "upstream";
        return self();
    }

    /** Network faults: server → client bytes (the default). */
    public B downstream() {
        this.stream = "downstream";
        return self();
    }

    /** The share of connections (network faults) or commands (command faults) affected, 0..1 (default 1). */
    public B toxicity(double toxicity) {
        this.toxicity = toxicity;
        return self();
    }

    /** The seed of the toxicity's random draws, for a reproducible experiment. */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Command faults: only these commands, by name or {@code @write}/{@code @read}. */
    public B commands(String... commands) {
        this.commands = List.of(commands);
        return self();
    }

    /** Command faults: only commands whose key matches this glob. */
    public B keyPattern(String glob) {
        this.keyPattern = glob;
        return self();
    }

    public B startAt(Instant startAt) {
        this.startAt = startAt;
        return self();
    }

    public B startAfter(Duration delay) {
        return startAt(Instant.now().plus(delay));
    }

    /** The fault ends by itself after this long (default: when removed). */
    public B duration(Duration duration) {
        this.durationMs = duration.toMillis();
        return self();
    }

    /** The outage the fault causes does not count against the SLA (default: it counts). */
    public B slaExcluded(boolean excluded) {
        this.slaExcluded = excluded;
        return self();
    }

    /** Injects the fault. @throws KvsimApiException.BadRequest when kvsim refuses the fault's fields */
    public ActiveFault start() {
        Fault.Target target = shard == null && node == null && proxy == null ? null : new Fault.Target(shard, node, proxy);
        Fault.Match match = commands == null && keyPattern == null ? null : new Fault.Match(commands, keyPattern);
        Request request = new Request(type, target, stream, toxicity, attributes.isEmpty() ? null : attributes,
                match, startAt, durationMs, seed, slaExcluded);
        Fault fault = http.send("POST", "/api/v1/instances/" + instanceId + "/faults", request,
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        return new ActiveFault(http, fault);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(String type, Fault.Target target, String stream, Double toxicity, Map<String, Object> attributes,
                   Fault.Match match, Instant startAt, Long durationMs, Long seed, Boolean slaExcluded) {
    }
}
