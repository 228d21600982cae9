package dev.kvsim.proxy;

import dev.kvsim.access.Authenticator;
import dev.kvsim.faults.model.ProxyFaults;
import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.faults.network.NetworkFaults;
import dev.kvsim.limits.ConnectionLimiter;
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
                         ConnectionRecorder recorder, ProxyCounters counters) {
        this.vertx = vertx;
        this.counters = counters;
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
        long now = System.nanoTime();
        Long last = lastLogged.get(reason);
        if (last == null || now - last > 1_000_000_000L) {
            lastLogged.put(reason, now);
            Log.infof("instance %s: closed a client connection: %s", instanceId, reason);
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
            // As the service does: the TCP connection succeeds, the first command gets the error.
            socket.handler(data -> socket.end(Replies.ILLEGAL_ADDRESS));
            return;
        }
        if (!connections.tryAcquire(p.maxConnections())) {
            // As the engine does: the refusal is the first thing the client reads, then the close.
            socket.end(Replies.MAX_CLIENTS);
            return;
        }
        ClientSession session = factory.open(this, socket, proxyIndex);
        sessions.add(session);
        session.start(backendClient);
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
