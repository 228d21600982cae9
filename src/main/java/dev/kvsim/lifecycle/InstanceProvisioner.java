package dev.kvsim.lifecycle;

import dev.kvsim.instance.RunningInstances;

import dev.kvsim.instance.InstanceLimits;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;

import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.commands.VersionRules;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.engine.NodeClient;
import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.engine.NodeSpec;
import dev.kvsim.access.Account;
import dev.kvsim.access.AccountStore;
import dev.kvsim.access.IpWhitelist;
import dev.kvsim.access.SecurityIpStore;
import dev.kvsim.access.Authenticator;
import dev.kvsim.access.PrivilegeRules;
import dev.kvsim.access.ProbeLogin;
import dev.kvsim.params.InstanceParameters;
import dev.kvsim.params.ParameterStore;
import dev.kvsim.limits.TrafficCounts;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.proxy.BackendTarget;
import dev.kvsim.proxy.ConnectionRecorder;
import dev.kvsim.proxy.ProxyCounters;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.CommandRules;
import dev.kvsim.proxy.InstancePolicy;
import dev.kvsim.proxy.Routing;
import dev.kvsim.proxy.SessionFactory;
import dev.kvsim.proxy.StandardSession;
import dev.kvsim.proxy.cluster.ClusterSessions;
import dev.kvsim.faults.model.FaultSet;
import dev.kvsim.proxy.ProxyLimits;
import dev.kvsim.proxy.ProxyRules;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Brings an instance's parts up and down: its endpoint (proxy listener) and its nodes. Blocking;
 * runs on worker threads. Holds the registry of running instances.
 */
@ApplicationScoped
public class InstanceProvisioner implements RunningInstances {

    private final NodeManager nodes;
    private final Catalog catalog;
    private final ProxyRules rules;
    private final Vertx vertx;
    private final ParameterStore parameters;
    private final SecurityIpStore securityIps;
    private final AccountStore accounts;
    private final ConnectionRecorder recorder;
    private final InstanceStore instances;
    private final MajorVersions versions;
    /** {@code kvsim.metrics.enabled}: whether proxies count for monitoring (off: the overhead benchmark's baseline). */
    private final boolean metricsEnabled;
    private final ProbeLogin probeLogin;
    private final PrivilegeRules privilegeRules;
    private final ProxyLimits proxyLimits;
    private final Map<String, RunningInstance> running = new ConcurrentHashMap<>();
    private final List<NodeSettings> nodeSettings;

    public InstanceProvisioner(NodeManager nodes, Catalog catalog, ProxyRules rules, Vertx vertx,
                               ParameterStore parameters, SecurityIpStore securityIps, AccountStore accounts,
                               ConnectionRecorder recorder, InstanceStore instances, MajorVersions versions,
                               @io.quarkus.arc.All List<NodeSettings> nodeSettings,
                               @ConfigProperty(name = "kvsim.metrics.enabled", defaultValue = "true") boolean metricsEnabled,
                               ProbeLogin probeLogin, PrivilegeRules privilegeRules, ProxyLimits proxyLimits) {
        this.versions = versions;
        this.nodeSettings = List.copyOf(nodeSettings);
        this.metricsEnabled = metricsEnabled;
        this.privilegeRules = privilegeRules;
        this.probeLogin = probeLogin;
        this.proxyLimits = proxyLimits;
        this.recorder = recorder;
        this.instances = instances;
        this.accounts = accounts;
        this.parameters = parameters;
        this.securityIps = securityIps;
        this.nodes = nodes;
        this.catalog = catalog;
        this.rules = rules;
        this.vertx = vertx;
    }

    public Optional<RunningInstance> running(String instanceId) {
        return Optional.ofNullable(running.get(instanceId));
    }

    /**
     * Opens the instance's RESP port. Until its nodes are up, clients are told it is not running.
     *
     * @return the bound port
     * @throws PortTakenException when another process holds the port
     */
    public int openEndpoint(StoredInstance i) {
        Routing routing = i.isCluster() ? Routing.cluster(SlotMap.parse(i.slotMap()), classOf(i).proxies())
                : Routing.standard();
        SessionFactory sessions = i.isCluster() ? new ClusterSessions()
                : (proxy, client, proxyIndex) -> new StandardSession(proxy, client);
        ProxyCounters counters = new ProxyCounters(metricsEnabled);
        InstanceProxy proxy = new InstanceProxy(vertx, i.instanceId(), sessions, policyOf(i, counters.traffic()), routing,
                recorder, counters, proxyLimits);
        try {
            int port = proxy.listen(i.port()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            running.put(i.instanceId(), new RunningInstance(i.instanceId(), proxy));
            return port;
        } catch (ExecutionException e) {
            proxy.close();
            throw new PortTakenException(i.port(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            proxy.close();
            throw new IllegalStateException("cannot open port " + i.port() + ": " + e, e);
        }
    }

    /**
     * Starts the nodes and points the proxy at the masters. Every node's process starts at once
     * (masters, replicas, all shards): an instance is up in about the time of its slowest node
     * rather than the sum. Each replica is told its master once both answer PING.
     */
    public List<StoredNode> startNodes(StoredInstance i) {
        RunningInstance r = require(i.instanceId());
        Map<Integer, List<StoredNode>> byShard = new java.util.TreeMap<>();
        i.nodes().forEach(n -> byShard.computeIfAbsent(n.shard(), k -> new ArrayList<>()).add(n));
        List<ShardNodes> shards = new ArrayList<>();
        List<StoredNode> result = new ArrayList<>();
        try {
            byShard.forEach((shard, planned) -> {
                StoredNode m = planned.stream().filter(StoredNode::isMaster).findFirst().orElseThrow();
                NodeProcess master = nodes.launch(nodeSpec(i, m, 0, false));
                ShardNodes s = new ShardNodes(shard, master, null);
                shards.add(s);  // registered at once: a failure below stops what was launched
                result.add(m.withPort(master.port()));
                planned.stream().filter(n -> !n.isMaster()).findFirst().ifPresent(n -> {
                    NodeProcess replica = nodes.launch(nodeSpec(i, n, master.port(), false));
                    s.set(master, replica);
                    result.add(n.withPort(replica.port()));
                });
            });
            shards.forEach(s -> nodes.awaitReady(s.master()));
            List<NodeProcess> replicas = shards.stream().map(ShardNodes::replica).filter(java.util.Objects::nonNull).toList();
            replicas.forEach(nodes::awaitReady);
            replicas.forEach(nodes::replicate);
            replicas.forEach(nodes::awaitReplicationUp);
        } catch (RuntimeException e) {
            shards.parallelStream().forEach(this::stopShard);
            throw e;
        }
        r.setShards(shards);
        if (r.proxy().routing().keySpecs() == null) {
            // Cluster routing and command faults use the engine's own key positions, learnt once from COMMAND.
            try (NodeClient client = nodes.client(shards.get(0).master())) {
                KeySpecs specs = KeySpecs.fromCommandReply(client.send(Command.COMMAND));
                r.proxy().updateRouting(routing -> routing.withKeySpecs(specs));
            }
        }
        routeToMasters(r, i.internalPassword());
        return List.copyOf(result);
    }

    /**
     * Starts one node of the instance: a master ({@code masterPort} 0) or a replica of the node on
     * {@code masterPort}. {@code empty}: its directory is wiped first (a new node, no data).
     */
    public NodeProcess startNode(StoredInstance i, StoredNode n, int masterPort, boolean empty) {
        return nodes.start(nodeSpec(i, n, masterPort, empty));
    }

    private NodeSpec nodeSpec(StoredInstance i, StoredNode n, int masterPort, boolean empty) {
        InstanceLimits limits = limitsOf(i);
        InstanceParameters params = parameters.of(i.instanceId());
        List<String> aclUsers = accounts.of(i.instanceId()).stream().map(a -> a.name() + " " + privilegeRules.aclRules(a)).toList();
        int shardCount = (int) i.nodes().stream().mapToInt(StoredNode::shard).distinct().count();
        // A cluster's memory is split among its shards; its proxy caps each shard's backend connections
        // (the node keeps room for kvsim's own connections above either cap).
        long memoryMb = Math.max(1, limits.memoryMb() / Math.max(1, shardCount));
        int maxClients = (i.isCluster() ? rules.shardBackendConnections() : limits.maxConnections()) + 32;
        boolean appendOnly = appendOnly(i);
        Path dir = nodeDir(i.instanceId(), n.nodeId());
        if (empty) {
            deleteTree(dir);
        }
        Map<String, String> engineConfig = new java.util.LinkedHashMap<>(params.engineConfig());
        nodeSettings.forEach(extra -> engineConfig.putAll(extra.engineConfig(i)));
        return new NodeSpec(n.nodeId(), dir, 0, memoryMb, engineConfig, appendOnly,
                i.internalPassword(), masterPort, maxClients, aclUsers);
    }

    /** Whether the instance's nodes persist their data (AOF): dual-replica and cluster instances. */
    public boolean appendOnly(StoredInstance i) {
        return classOf(i).isDualReplica() || i.isCluster();
    }

    /** Points the proxy at each shard's current master. */
    public void routeToMasters(RunningInstance r, String internalPassword) {
        List<BackendTarget> masters = new ArrayList<>();
        for (ShardNodes s : r.shards()) {
            masters.add(new BackendTarget(s.master().port(), internalPassword));
        }
        r.proxy().updateRouting(routing -> routing.withMasters(masters));
    }

    /**
     * After a change of the shard's master (failover, switchover, a replaced node): the proxy routes to
     * the new master. A standard instance's client connections, bound to the old one, close, as the
     * service's do; a cluster's proxy re-links that shard only, and clients keep their connections.
     */
    public void reroute(RunningInstance r, String internalPassword, int shard) {
        routeToMasters(r, internalPassword);
        r.proxy().masterChanged(shard);
    }

    public void stopNodes(String instanceId) {
        running(instanceId).ifPresent(r -> {
            r.proxy().updateRouting(routing -> routing.withMasters(null));
            r.proxy().dropConnections();
            r.shards().parallelStream().forEach(this::stopShard);
            r.setShards(List.of());
        });
    }

    /** Replica first: a Redis 7 master told to stop waits (up to 10 s) for its replicas to catch up. */
    private void stopShard(ShardNodes s) {
        if (s.replica() != null) {
            nodes.stop(s.replica());
        }
        if (s.master() != null) {
            nodes.stop(s.master());
        }
    }

    /** FLUSHALL, or FLUSHDB of one database, on every master (the replicas follow). */
    public void flush(String instanceId, Integer db) {
        List<NodeProcess> masters = require(instanceId).masters();
        if (masters.isEmpty()) {
            throw new IllegalStateException("instance " + instanceId + " has no running master");
        }
        for (NodeProcess master : masters) {
            try (NodeClient client = nodes.client(master)) {
                if (db == null) {
                    client.send(Command.FLUSHALL);
                } else {
                    client.send(Command.SELECT, Integer.toString(db));
                    client.send(Command.FLUSHDB);
                }
            }
        }
    }

    /**
     * CONFIG SET of engine settings on every running node. The node files need no rewrite: a node
     * started later gets the stored parameters in its generated config.
     *
     * @throws dev.kvsim.engine.NodeClient.NodeCommandException when a node refuses a value
     */
    @Override
    public void applyEngineConfig(String instanceId, Map<String, String> settings) {
        if (!settings.isEmpty()) {
            onEveryNode(instanceId, client ->
                    settings.forEach((name, value) -> client.send(Command.CONFIG, "SET", name, value)));
        }
    }

    /** Runs commands on every running node of the instance, master first (ACL and CONFIG are per node). */
    @Override
    public void onEveryNode(String instanceId, Consumer<NodeClient> work) {
        for (NodeProcess node : require(instanceId).nodes()) {
            try (NodeClient client = nodes.client(node)) {
                work.accept(client);
            }
        }
    }

    /**
     * What the proxy enforces for the instance, from what the store holds now: its password and
     * accounts, whitelist, class limits, parameters, the service's reserved commands and what its
     * engine major version lacks. The one place an {@link InstancePolicy} is built.
     */
    InstancePolicy policyOf(StoredInstance i, TrafficCounts traffic) {
        String id = i.instanceId();
        InstanceParameters params = parameters.of(id);
        InstanceLimits limits = limitsOf(i);
        return new InstancePolicy(new Authenticator(id, i.passwordHash(), i.passwordFree(), engineAccounts(accounts.of(id)), probeLogin),
                IpWhitelist.of(securityIps.of(id)), limits.maxConnections(), rules.shardBackendConnections(),
                shaperOf(limits, params, traffic), new CommandRules(rules.reservedCommands(), params.disabledCommands()),
                params.scriptCheck(), params.proxyResp3(), VersionRules.of(versions.of(i), versions.engineRelease()), FaultSet.NONE);
    }

    /**
     * The instance's proxy enforces what the store holds now: called after a change of password,
     * accounts, whitelist or parameters. Faults acting stay.
     */
    @Override
    public void refreshPolicy(String instanceId) {
        running(instanceId).ifPresent(r -> instances.find(instanceId).ifPresent(i -> {
            InstancePolicy fresh = policyOf(i, r.proxy().counters().traffic());
            r.proxy().updatePolicy(fresh::carryOver);
        }));
    }

    /** The caps from the instance's limits and parameters; what passes them is tallied in {@code traffic}. */
    public static TrafficShaper shaperOf(InstanceLimits limits, InstanceParameters params, TrafficCounts traffic) {
        return TrafficShaper.of(limits.bandwidthMBps(), params.bandwidthMode(), params.qpsLimited() ? limits.qps() : 0,
                traffic);
    }

    /** The accounts as the proxy's authenticator knows them. */
    public static Map<String, Authenticator.Account> engineAccounts(List<Account> accounts) {
        Map<String, Authenticator.Account> byName = new java.util.HashMap<>();
        accounts.forEach(a -> byName.put(a.name(), new Authenticator.Account(a.name(), a.passwordHash(), a.enginePassword())));
        return byName;
    }

    /** Stops everything and removes the instance's directory. */
    public void destroy(String instanceId) {
        stopNodes(instanceId);
        RunningInstance r = running.remove(instanceId);
        if (r != null) {
            r.proxy().close();
        }
        deleteTree(nodes.instancesDir().resolve(instanceId));
    }

    /** Stops and forgets the instance but keeps its data (kvsim shutdown). */
    public void shutdown(String instanceId) {
        stopNodes(instanceId);
        RunningInstance r = running.remove(instanceId);
        if (r != null) {
            r.proxy().close();
        }
    }

    public List<String> runningIds() {
        return List.copyOf(running.keySet());
    }

    public InstanceClass classOf(StoredInstance i) {
        return catalog.find(i.instanceClass())
                .orElseThrow(() -> new IllegalStateException("instance " + i.instanceId() + " has class "
                        + i.instanceClass() + ", which the catalog no longer lists"));
    }

    public InstanceLimits limitsOf(StoredInstance i) {
        return InstanceLimits.of(classOf(i), i.overrides());
    }

    public Path nodeDir(String instanceId, String nodeId) {
        return nodes.instancesDir().resolve(instanceId).resolve(nodeId);
    }

    private RunningInstance require(String instanceId) {
        RunningInstance r = running.get(instanceId);
        if (r == null) {
            throw new IllegalStateException("instance " + instanceId + " has no open endpoint");
        }
        return r;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            io.quarkus.logging.Log.warnf("could not remove %s: %s", dir, e.getMessage());
        }
    }

    /** The instance's port is held by another process. */
    public static final class PortTakenException extends RuntimeException {
        private final int port;

        PortTakenException(int port, Throwable cause) {
            super("port " + port + " is already in use" + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }
}
