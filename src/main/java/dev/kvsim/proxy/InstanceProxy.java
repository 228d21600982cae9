package dev.kvsim.proxy;

import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.faults.network.NetworkFaults;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The RESP endpoint of one instance: a listener on 127.0.0.1 and a session per client. */
public final class InstanceProxy {

    private final Vertx vertx;
    private final ProxyContext ctx;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    /** Cluster instances: shared shard connections, by event loop, shard, engine user and database. */
    private final java.util.Map<MuxKey, ShardMux> muxes = new ConcurrentHashMap<>();

    /** Which clients may share a shard connection: same event loop (compared by identity), shard, user, database. */
    private record MuxKey(io.vertx.core.Context context, int shard, String engineUser, int db) {
    }
    /** Assigns cluster connections to the logical proxies in turn. */
    private final java.util.concurrent.atomic.AtomicInteger nextProxy = new java.util.concurrent.atomic.AtomicInteger();
    private NetServer server;
    private NetClient backendClient;

    public InstanceProxy(Vertx vertx, ProxyContext ctx) {
        this.vertx = vertx;
        this.ctx = ctx;
    }

    public ProxyContext context() {
        return ctx;
    }

    /** Opens the listener; fails if the port is taken. */
    public Future<Integer> listen(int port) {
        backendClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5000));
        server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port)
                .setTcpNoDelay(true).setReuseAddress(true));
        server.connectHandler(this::accept);
        return server.listen().map(s -> {
            ctx.setPublicPort(s.actualPort());
            return s.actualPort();
        });
    }

    private void accept(NetSocket socket) {
        int proxyIndex = ctx.slotMap() == null ? 0 : Math.floorMod(nextProxy.getAndIncrement(), ctx.proxies());
        if (!ctx.faults().isEmpty() && NetworkFaults.refuses(ctx.faults(), proxyIndex)) {
            NetworkFaults.reset(socket);  // refuse_connections: the endpoint is down
            ctx.recordAttempt(false);
            return;
        }
        NetworkFaultHandler.install(socket, Link.client(proxyIndex), ctx.faults());
        if (!ctx.admits(socket.remoteAddress().host())) {
            // As the service does: the TCP connection succeeds, the first command gets the error.
            socket.handler(data -> socket.end(ProxySession.ILLEGAL_ADDRESS));
            return;
        }
        if (!ctx.limiter().tryAcquire()) {
            // As the engine does: the refusal is the first thing the client reads, then the close.
            socket.end(ProxySession.MAX_CLIENTS);
            return;
        }
        ClientSession session = ctx.slotMap() == null ? new ProxySession(this, ctx, socket)
                : new ClusterSession(this, ctx, socket, proxyIndex);
        sessions.add(session);
        session.start(backendClient);
    }

    /** How many connections one logical proxy of a cluster instance serves. */
    long clusterClients(int proxyIndex) {
        return sessions.stream().filter(s -> s instanceof ClusterSession c && c.proxyIndex() == proxyIndex).count();
    }

    /** CLIENT LIST of a cluster instance: the connections of one logical proxy. */
    String clusterClientList(int proxyIndex) {
        StringBuilder b = new StringBuilder();
        int id = 0;
        for (ClientSession s : sessions) {
            if (s instanceof ClusterSession c && c.proxyIndex() == proxyIndex) {
                b.append("id=").append(++id).append(' ').append(c.describe()).append('\n');
            }
        }
        return b.toString();
    }

    /** CLIENT KILL ip:port and CLIENT KILL ADDR ip:port on a cluster instance. */
    io.vertx.core.buffer.Buffer clusterKill(RespCommand cmd) {
        String addr = cmd.argc() == 3 ? cmd.argString(2)
                : cmd.argc() == 4 && cmd.argLower(2).equals("addr") ? cmd.argString(3) : null;
        if (addr == null) {
            return Resp.error("ERR kvsim: only CLIENT KILL ip:port and CLIENT KILL ADDR ip:port are supported");
        }
        int killed = 0;
        for (ClientSession s : sessions) {
            if (s instanceof ClusterSession c && c.describe().startsWith("addr=" + addr + " ")) {
                c.closeAsync();
                killed++;
            }
        }
        if (cmd.argc() == 3) {
            return killed > 0 ? Resp.OK : Resp.error("ERR No such client");
        }
        return Resp.integer(killed);
    }

    /**
     * The shared connection to a shard for clients of this event loop running as {@code engineUser}
     * on database {@code db}; opened on first use.
     */
    ShardMux mux(io.vertx.core.Context context, int shard, String engineUser, int db) {
        MuxKey key = new MuxKey(context, shard, engineUser, db);
        ShardMux existing = muxes.get(key);
        if (existing != null) {
            return existing;
        }
        BackendTarget target = ctx.shards().get(shard);
        ShardMux created = new ShardMux(ctx, context, backendClient, shard, target, ctx.engineLogin(engineUser, target), db,
                () -> muxes.remove(key));
        if (!created.isClosed()) {
            muxes.put(key, created);  // a refused one is not kept: the next command tries again
        }
        return created;
    }

    void sessionClosed(ClientSession session) {
        if (sessions.remove(session)) {
            ctx.limiter().release();
        }
    }

    public int openSessions() {
        return sessions.size();
    }

    /** Drops every client connection (restart, failover); the listener stays open. */
    public void dropConnections() {
        List<ClientSession> all = new ArrayList<>(sessions);
        all.forEach(ClientSession::closeAsync);
        new ArrayList<>(muxes.values()).forEach(ShardMux::closeAsync);
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
