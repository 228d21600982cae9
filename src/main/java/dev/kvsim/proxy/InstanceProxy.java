package dev.kvsim.proxy;

import dev.kvsim.access.Authenticator;
import dev.kvsim.faults.model.ProxyFaults;
import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.faults.network.NetworkFaults;
import dev.kvsim.limits.ConnectionLimiter;
import dev.kvsim.limits.DescriptorBudget;
import dev.kvsim.resp.Resp;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The RESP endpoint of one instance: a listener on 127.0.0.1, a session per client, the
 * {@link InstancePolicy} it enforces and the {@link Routing} it sends commands by. The control plane
 * changes either only by swapping it whole.
 */
public final class InstanceProxy {

    private final Vertx vertx;
    private final String instanceId;
    private final SessionFactory factory;
    private final ConnectionRecorder recorder;
    private final ProxyLimits limits;
    private final AtomicReference<InstancePolicy> policy;
    private volatile Routing routing;
    /** The client connections open, against the class's cap. */
    private final ConnectionLimiter connections = new ConnectionLimiter();
    private final ProxyFaults faults;
    /** What the monitoring sampler reads: commands, latency, bytes, holds and refusals. */
    private final ProxyCounters counters;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    /** Assigns cluster connections to the logical proxies in turn. */
    private final AtomicInteger nextProxy = new AtomicInteger();
    /** When each reason was last logged, so that a client retrying in a loop does not flood the log. */
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private volatile int publicPort;
    private NetServer server;
    private NetClient backendClient;

    public InstanceProxy(Vertx vertx, String instanceId, SessionFactory factory, InstancePolicy policy, Routing routing,
                         ConnectionRecorder recorder, ProxyCounters counters, ProxyLimits limits) {
        this.vertx = vertx;
        this.counters = counters;
        this.limits = limits;
        this.instanceId = instanceId;
        this.factory = factory;
        this.recorder = recorder;
        this.policy = new AtomicReference<>(policy);
        this.routing = routing;
        this.faults = new ProxyFaults(() -> this.policy.get().faults(),
                change -> updatePolicy(p -> p.withFaults(change.apply(p.faults()))));
    }

    public String instanceId() {
        return instanceId;
    }

    /** What the proxy enforces now; read it once per decision, since it may be swapped at any time. */
    public InstancePolicy policy() {
        return policy.get();
    }

    /** Swaps the policy atomically: {@code change} gets the current one (and may run again under contention). */
    public void updatePolicy(UnaryOperator<InstancePolicy> change) {
        policy.updateAndGet(change);
    }

    public Routing routing() {
        return routing;
    }

    /** Swaps the routing (new masters after a failover, the command table once learnt). */
    public synchronized void updateRouting(UnaryOperator<Routing> change) {
        routing = change.apply(routing);
    }

    /** The instance's proxy as faults see it: they add themselves to the policy's fault set through it. */
    public ProxyFaults faults() {
        return faults;
    }

    public ProxyCounters counters() {
        return counters;
    }

    public int publicPort() {
        return publicPort;
    }

    /** What bounds a client connection: its unsent replies, and the descriptors kvsim can spend on it. */
    public ProxyLimits limits() {
        return limits;
    }

    /**
     * The AUTH a node connection sends to run as {@code engineUser}: kvsim's own password for the
     * engine's default user, the account's engine secret otherwise.
     */
    public Buffer engineLogin(String engineUser, BackendTarget target) {
        String secret = policy().authenticator().enginePassword(engineUser, target.internalPassword());
        return Authenticator.ENGINE_DEFAULT_USER.equals(engineUser) ? Resp.command("AUTH", secret)
                : Resp.command("AUTH", engineUser, secret);
    }

    /**
     * Logs why the proxy closed or refused a client's connection, where a client of the service sees
     * only the closed connection (kvsim's reason goes to its log, never to the client); at most once
     * a second for the same reason.
     */
    public void logClosed(String reason) {
        logLimited("closed a client connection: " + reason);
    }

    /** Logs what the proxy did for a reason of its own (a refusal, a close), at most once a second per text. */
    public void logLimited(String what) {
        long now = System.nanoTime();
        Long last = lastLogged.get(what);
        if (last == null || now - last > 1_000_000_000L) {
            lastLogged.put(what, now);
            Log.infof("instance %s: %s", instanceId, what);
        }
    }

    /**
     * Refuses a client's connection as the service's endpoint does while no node serves it (before the
     * instance runs, or between a master's death and HA's switch): a reset; kvsim's reason goes to its log.
     */
    public void refuseUnserved(NetSocket client, String reason) {
        recordAttempt(false);  // before the client sees the refusal, so that it counts in this minute
        logClosed(reason);
        NetworkFaults.reset(client);
    }

    /**
     * A session could not open its connection to the node: with no file descriptor left, the client
     * reads the engine's text for a full server; otherwise the node is not reachable and the
     * connection is refused ({@link #refuseUnserved}).
     */
    public void nodeConnectionFailed(NetSocket client, Throwable cause) {
        if (DescriptorBudget.exhausted(cause)) {
            logLimited("refused a client connection: kvsim has no file descriptor left for its node connection");
            refuse(client, Replies.MAX_CLIENTS);
        } else {
            refuseUnserved(client, "its master node is not reachable (" + cause.getMessage() + ")");
        }
    }

    /** A client connection attempt ended: served (a session with a node) or failed by the service. */
    public void recordAttempt(boolean served) {
        recorder.attempt(instanceId, served);
    }

    /** Opens the listener; fails if the port is taken. */
    public Future<Integer> listen(int port) {
        backendClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5000));
        server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port)
                .setTcpNoDelay(true).setReuseAddress(true));
        server.connectHandler(this::accept);
        return server.listen().map(s -> {
            publicPort = s.actualPort();
            return s.actualPort();
        });
    }

    private void accept(NetSocket socket) {
        DescriptorBudget descriptors = limits.descriptors();
        descriptors.track(socket);
        Routing r = routing;
        InstancePolicy p = policy();
        int proxyIndex = r.isCluster() ? Math.floorMod(nextProxy.getAndIncrement(), r.proxies()) : 0;
        if (!p.faults().isEmpty() && NetworkFaults.refuses(p.faults(), proxyIndex)) {
            recordAttempt(false);  // before the client can see the refusal, so that it counts in this minute
            NetworkFaults.reset(socket);  // refuse_connections: the endpoint is down
            return;
        }
        NetworkFaultHandler.install(socket, Link.client(proxyIndex), faults);
        if (!p.whitelist().admits(socket.remoteAddress().host())) {
            counters.whitelistRefused();
            // As the service does: the TCP connection succeeds, the error is the first thing the client
            // reads, then the connection closes; it counts against no cap.
            refuse(socket, Replies.ILLEGAL_ADDRESS);
            return;
        }
        if (!descriptors.admits(1)) {
            // kvsim keeps its last descriptors for the admin API, HA and node starts: a full server's answer.
            logLimited("refused a client connection: kvsim is short of file descriptors (about " + descriptors.open()
                    + " open of a limit of " + descriptors.limit() + ", " + descriptors.reserve() + " kept for the "
                    + "admin API, HA and node starts); raise the limit (ulimit -n) for more connections");
            refuse(socket, Replies.MAX_CLIENTS);
            return;
        }
        if (!connections.tryAcquire(p.maxConnections())) {
            // As the engine does: the refusal is the first thing the client reads, then the close.
            refuse(socket, Replies.MAX_CLIENTS);
            return;
        }
        ClientSession session = factory.open(this, socket, proxyIndex);
        sessions.add(session);
        session.start(backendClient);
    }

    /**
     * Answers a connection the endpoint does not serve, and closes it. What the client sends meanwhile
     * is read and dropped (no handler), so that the close is an orderly one after the reply.
     */
    private static void refuse(NetSocket socket, Buffer reply) {
        socket.write(reply);
        Closing.close(socket);
    }

    /** A session ended: its connection no longer counts against the cap. */
    public void sessionClosed(ClientSession session) {
        if (sessions.remove(session)) {
            connections.release();
        }
    }

    public int openSessions() {
        return sessions.size();
    }

    /**
     * A shard's master changed (failover, switchover, a replaced node): the sessions follow it when
     * they can (a cluster's proxy re-links that shard only); otherwise every client connection drops,
     * as a standard instance's connections are bound to their master.
     */
    public void masterChanged(int shard) {
        if (!factory.relink(shard)) {
            dropConnections();
        }
    }

    /** Drops every client connection (restart, failover); the listener stays open. */
    public void dropConnections() {
        List<ClientSession> all = new ArrayList<>(sessions);
        all.forEach(ClientSession::closeAsync);
        factory.dropShared();
    }

    public Future<Void> close() {
        dropConnections();
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        if (backendClient != null) {
            backendClient.close();
        }
        return closed;
    }
}
