package dev.kvsim.proxy;

import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.access.IpWhitelist;
import dev.kvsim.access.SecurityIpGroup;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.access.Authenticator;
import dev.kvsim.limits.ConnectionLimiter;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.faults.command.CommandFault;
import dev.kvsim.faults.command.CommandView;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What one instance's proxy knows of its instance; the control plane updates it in place. */
public final class ProxyContext {

    private final String instanceId;
    private final Authenticator authenticator;
    private final ConnectionLimiter limiter;
    private final Set<String> reservedCommands;
    /** Commands with at least one reserved "command|subcommand" entry: their first argument is looked at. */
    private final Set<String> reservedParents;
    /** {@code #no_loose_disabled-commands}: lower-case names. */
    private volatile Set<String> disabledCommands = Set.of();
    private volatile IpWhitelist whitelist = IpWhitelist.of(SecurityIpGroup.defaults());
    private volatile TrafficShaper shaper;
    private volatile BackendTarget backend;
    private volatile List<BackendTarget> shards;
    /** Cluster instances only: the slot map, and where the engine's commands have their keys. */
    private volatile SlotMap slotMap;
    private volatile KeySpecs keySpecs;
    private volatile int proxies = 1;
    /** Cluster instances: the users' scripts by their SHA, for EVALSHA and SCRIPT EXISTS. */
    private final java.util.Map<String, byte[]> scripts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean scriptCheck = true;
    private volatile int publicPort;
    /** Cluster instances: the proxy's connections to each shard, against the per-shard cap. */
    private final ShardConnections shardConnections = new ShardConnections();
    /** The faults acting in this proxy (network and command faults), usually none. */
    private final dev.kvsim.faults.model.ProxyFaults faults = new dev.kvsim.faults.model.ProxyFaults();

    public ProxyContext(String instanceId, Authenticator authenticator, ConnectionLimiter limiter,
                        Set<String> reservedCommands, BackendTarget backend) {
        this.instanceId = instanceId;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.reservedCommands = Set.copyOf(reservedCommands);
        this.reservedParents = reservedCommands.stream().filter(e -> e.contains("|"))
                .map(e -> e.substring(0, e.indexOf('|'))).collect(Collectors.toUnmodifiableSet());
        this.backend = backend;
    }

    public String instanceId() {
        return instanceId;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public ConnectionLimiter limiter() {
        return limiter;
    }

    /**
     * The service's answer to a command clients may not run here: reserved to the service, or
     * disabled by {@code #no_loose_disabled-commands}; null when it may run.
     */
    public io.vertx.core.buffer.Buffer refusal(RespCommand cmd) {
        String reserved = reservedEntry(cmd);
        if (reserved != null) {
            return Resp.error("ERR command " + reserved.replace('|', ' ') + " not support for normal user");
        }
        if (isDisabled(cmd.name())) {
            return Resp.error("ERR command '" + cmd.name().toUpperCase(java.util.Locale.ROOT) + "' not support for normal user");
        }
        return null;
    }

    /** The reserved entry the command matches ("debug", "config|rewrite"), or null. */
    public String reservedEntry(RespCommand cmd) {
        String name = cmd.name();
        if (reservedCommands.contains(name)) {
            return name;
        }
        if (cmd.argc() < 2 || !reservedParents.contains(name)) {
            return null;
        }
        String pair = name + "|" + cmd.argLower(1);
        return reservedCommands.contains(pair) ? pair : null;
    }

    /** Whether a new connection from this address may use the instance. */
    public boolean admits(String clientAddress) {
        return whitelist.admits(clientAddress);
    }

    public void setWhitelist(IpWhitelist whitelist) {
        this.whitelist = whitelist;
    }

    public TrafficShaper shaper() {
        return shaper;
    }

    public void setShaper(TrafficShaper shaper) {
        this.shaper = shaper;
    }

    public boolean isDisabled(String commandName) {
        Set<String> d = disabledCommands;
        return !d.isEmpty() && d.contains(commandName);
    }

    public void setDisabledCommands(Set<String> names) {
        this.disabledCommands = Set.copyOf(names);
    }

    /**
     * The AUTH a node connection sends to run as {@code engineUser}: kvsim's own password for the
     * engine's default user, the account's engine secret otherwise.
     */
    public io.vertx.core.buffer.Buffer engineLogin(String engineUser, BackendTarget target) {
        String secret = authenticator.enginePassword(engineUser, target.internalPassword());
        return Authenticator.ENGINE_DEFAULT_USER.equals(engineUser) ? Resp.command("AUTH", secret)
                : Resp.command("AUTH", engineUser, secret);
    }

    /** The master of shard 0: a standard instance's only master. Null while the nodes are down. */
    public BackendTarget backend() {
        return backend;
    }

    public SlotMap slotMap() {
        return slotMap;
    }

    public KeySpecs keySpecs() {
        return keySpecs;
    }

    public int proxies() {
        return proxies;
    }

    /** Makes this a cluster instance's endpoint, served by {@code proxies} logical proxies. */
    public void setCluster(SlotMap slotMap, int proxies) {
        this.slotMap = slotMap;
        this.proxies = Math.max(1, proxies);
    }

    public java.util.Map<String, byte[]> scripts() {
        return scripts;
    }

    /** {@code script_check_enable}: whether cluster scripts must pass every key in KEYS. */
    public boolean scriptCheck() {
        return scriptCheck;
    }

    public void setScriptCheck(boolean on) {
        this.scriptCheck = on;
    }

    public void setKeySpecs(KeySpecs keySpecs) {
        this.keySpecs = keySpecs;
    }

    /** The master of each shard, or null while the nodes are down. */
    public List<BackendTarget> shards() {
        return shards;
    }

    public void setShards(List<BackendTarget> masters) {
        this.shards = masters == null ? null : List.copyOf(masters);
        this.backend = masters == null ? null : masters.get(0);
    }

    /**
     * The active command fault that hits this command, or null. Costs one volatile read when no
     * fault is active; only then are the command's keys, shard and flags looked up.
     */
    public CommandFault commandFault(RespCommand cmd) {
        if (faults.isEmpty() || !CommandFault.anyActive(faults)) {
            return null;
        }
        KeySpecs specs = keySpecs;
        List<byte[]> args = cmd.args();
        int[] positions = specs == null ? null : specs.keyIndexes(cmd.name(), args);
        List<byte[]> keys = positions == null ? List.of()
                : java.util.Arrays.stream(positions).mapToObj(args::get).toList();
        SlotMap slots = slotMap;
        int shard = slots == null || keys.isEmpty() ? 0 : slots.shardOf(dev.kvsim.cluster.HashSlots.slot(keys.get(0)));
        boolean write = specs != null && specs.hasFlag(cmd.name(), "write");
        boolean read = specs != null && specs.hasFlag(cmd.name(), "readonly");
        return CommandFault.firstHit(faults, new CommandView(cmd.name(), keys, shard, write, read));
    }

    private volatile ConnectionRecorder recorder = ConnectionRecorder.NONE;

    public void setRecorder(ConnectionRecorder recorder) {
        this.recorder = recorder;
    }

    /** A client connection attempt ended: served (a session with a node) or failed by the service. */
    public void recordAttempt(boolean served) {
        recorder.attempt(instanceId, served);
    }

    public dev.kvsim.faults.model.ProxyFaults faults() {
        return faults;
    }

    public ShardConnections shardConnections() {
        return shardConnections;
    }

    public int publicPort() {
        return publicPort;
    }

    void setPublicPort(int publicPort) {
        this.publicPort = publicPort;
    }
}
