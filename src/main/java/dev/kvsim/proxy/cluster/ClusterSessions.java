package dev.kvsim.proxy.cluster;

import dev.kvsim.limits.ConnectionLimiter;
import dev.kvsim.proxy.BackendTarget;
import dev.kvsim.proxy.ClientSession;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.SessionFactory;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of one cluster instance and what they share, as the service's proxy shares it: the
 * connections to each shard (one per event loop, engine user and database, counted against each
 * shard's backend cap), the users' scripts by SHA, and the list of clients per logical proxy
 * (INFO, CLIENT LIST, CLIENT KILL). Thread-safe: the sessions of every event loop use it.
 */
public final class ClusterSessions implements SessionFactory {

    private static final Buffer CREDENTIALS_REFUSED = Resp.error("ERR kvsim: a shard refused kvsim's credentials");

    /** Which clients may share a shard connection: same event loop (compared by identity), shard, user, database. */
    private record MuxKey(Context context, int shard, String engineUser, int db) {
    }

    private final Map<MuxKey, ShardMux> muxes = new ConcurrentHashMap<>();
    private final Map<Integer, ConnectionLimiter> shardConnections = new ConcurrentHashMap<>();
    private final Map<String, byte[]> scripts = new ConcurrentHashMap<>();
    private final Set<ClusterSession> sessions = ConcurrentHashMap.newKeySet();

    @Override
    public ClientSession open(InstanceProxy proxy, NetSocket client, int proxyIndex) {
        ClusterSession session = new ClusterSession(proxy, this, client, proxyIndex);
        sessions.add(session);
        return session;
    }

    void closed(ClusterSession session) {
        sessions.remove(session);
    }

    /** The users' scripts by their SHA, for EVALSHA and SCRIPT EXISTS on any shard. */
    Map<String, byte[]> scripts() {
        return scripts;
    }

    /**
     * The shared connection to a shard for clients of this event loop running as {@code engineUser}
     * on database {@code db}; opened on first use.
     */
    ShardMux mux(InstanceProxy proxy, Context context, NetClient netClient, int shard, String engineUser, int db) {
        MuxKey key = new MuxKey(context, shard, engineUser, db);
        ShardMux existing = muxes.get(key);
        if (existing != null) {
            return existing;
        }
        BackendTarget target = proxy.routing().masters().get(shard);
        ShardMux created = new ShardMux(proxy, this, context, netClient, shard, target, proxy.engineLogin(engineUser, target),
                db, () -> muxes.remove(key));
        if (!created.isClosed()) {
            muxes.put(key, created);  // a refused one is not kept: the next command tries again
        }
        return created;
    }

    /** Takes one of the shard's backend connection slots; false when the shard has its {@code cap}. */
    boolean acquireShardConnection(int shard, int cap) {
        return shardConnections.computeIfAbsent(shard, s -> new ConnectionLimiter()).tryAcquire(cap);
    }

    void releaseShardConnection(int shard) {
        shardConnections.get(shard).release();
    }

    /**
     * What a client is told when a shard answers a new connection's login with an error: the
     * engine's own refusal when the node is full (it sends that instead of a reply, then closes),
     * else that kvsim's credentials were refused.
     */
    static Buffer shardRefusal(Buffer engineError) {
        return engineError.toString(StandardCharsets.UTF_8).startsWith("-ERR max number of clients reached")
                ? Replies.MAX_CLIENTS : CREDENTIALS_REFUSED;
    }

    /** How many connections one logical proxy serves. */
    long clientsOf(int proxyIndex) {
        return sessions.stream().filter(s -> s.proxyIndex() == proxyIndex).count();
    }

    /** CLIENT LIST of a cluster instance: the connections of one logical proxy. */
    String clientList(int proxyIndex) {
        StringBuilder b = new StringBuilder();
        int id = 0;
        for (ClusterSession s : sessions) {
            if (s.proxyIndex() == proxyIndex) {
                b.append("id=").append(++id).append(' ').append(s.describe()).append('\n');
            }
        }
        return b.toString();
    }

    /** CLIENT KILL ip:port and CLIENT KILL ADDR ip:port on a cluster instance. */
    Buffer kill(RespCommand cmd) {
        String addr = cmd.argc() == 3 ? cmd.argString(2)
                : cmd.argc() == 4 && cmd.argLower(2).equals("addr") ? cmd.argString(3) : null;
        if (addr == null) {
            return Resp.error("ERR kvsim: only CLIENT KILL ip:port and CLIENT KILL ADDR ip:port are supported");
        }
        int killed = 0;
        for (ClusterSession s : sessions) {
            if (s.describe().startsWith("addr=" + addr + " ")) {
                s.closeAsync();
                killed++;
            }
        }
        if (cmd.argc() == 3) {
            return killed > 0 ? Resp.OK : Resp.error("ERR No such client");
        }
        return Resp.integer(killed);
    }

    @Override
    public void dropShared() {
        new ArrayList<>(muxes.values()).forEach(ShardMux::closeAsync);
    }
}
