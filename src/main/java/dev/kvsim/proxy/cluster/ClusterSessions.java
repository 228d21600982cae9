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

    /**
     * Which clients may share a shard connection: same event loop (compared by identity), shard, user,
     * database and protocol.
     */
    private record MuxKey(Context context, int shard, String engineUser, int db, int protocol) {
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
     * on database {@code db} in RESP {@code protocol}; opened on first use.
     */
    ShardMux mux(InstanceProxy proxy, Context context, NetClient netClient, int shard, String engineUser, int db,
                 int protocol) {
        MuxKey key = new MuxKey(context, shard, engineUser, db, protocol);
        ShardMux existing = muxes.get(key);
        if (existing != null) {
            return existing;
        }
        BackendTarget target = proxy.routing().masters().get(shard);
        ShardMux created = new ShardMux(proxy, this, context, netClient, shard, proxy.engineLogin(engineUser, target),
                db, protocol, () -> muxes.remove(key));
        if (!created.isClosed()) {
            muxes.put(key, created);  // a refused one is not kept: the next command tries again
        }
        return created;
    }

    /**
     * Takes one of the shard's backend connection slots; false when the shard has its {@code cap}, or
     * when kvsim is short of file descriptors (it keeps a reserve for the admin API, HA and node starts).
     */
    boolean acquireShardConnection(InstanceProxy proxy, int shard, int cap) {
        if (!proxy.limits().descriptors().admits(1)) {
            proxy.logLimited("refused a command: kvsim is short of file descriptors for a shard connection; "
                    + "raise the limit (ulimit -n)");
            return false;
        }
        return shardConnections.computeIfAbsent(shard, s -> new ConnectionLimiter()).tryAcquire(cap);
    }

    void releaseShardConnection(int shard) {
        shardConnections.get(shard).release();
    }

    /**
     * Whether a shard's error to a new connection's login is the node being full (it sends that
     * instead of a reply, then closes), which clients are told as it is; any other error means
     * kvsim's credentials were refused.
     */
    static boolean nodeFull(Buffer engineError) {
        return Replies.isMaxClients(engineError);
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
            // The service's proxy knows only these two forms; for other filters it answers as the engine
            // does for a filter it does not know.
            return Resp.error("ERR syntax error");
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

    /**
     * The shard's master changed: each event loop's shared connections to it are retired (new commands
     * go to the new master, those in flight are answered first); each session follows on its own loop.
     */
    @Override
    public boolean relink(int shard) {
        muxes.forEach((key, mux) -> {
            if (key.shard() == shard && muxes.remove(key, mux)) {
                mux.retireAsync();
            }
        });
        sessions.forEach(s -> s.context().runOnContext(v -> s.relinked(shard)));
        return true;
    }

    @Override
    public void dropShared() {
        new ArrayList<>(muxes.values()).forEach(ShardMux::closeAsync);
    }
}
