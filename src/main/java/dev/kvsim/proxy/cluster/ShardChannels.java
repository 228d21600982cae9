package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.Replies;
import dev.kvsim.resp.RespCommand;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One cluster client's ways to the shards: for ordinary commands, the connection to each shard that
 * the clients of its event loop share for its engine user, database and protocol ({@link ShardMux});
 * for what holds or changes a connection, its own ({@link ShardLink}), opened on first use. Each
 * counts against the shard's backend cap. With client-side caching on, every command takes the
 * client's own connection, where the engine tracks what it read. Confined to the session's event loop.
 */
final class ShardChannels {

    private final ClusterSession session;
    private final ClusterSessions sessions;
    private final ShardLink[] links;
    /** The session's muxes for its current user, database and protocol, looked up once rather than per command. */
    private final ShardMux[] muxes;
    private int muxDb = -1;
    private int muxProtocol;
    private String muxUser;
    /** Own connections RESET retired, which close once what is in flight on them is answered. */
    private final Set<ShardLink> retired = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Shared connections this read queued commands on; flushed once at its end. */
    private final Set<ShardMux> touched = Collections.newSetFromMap(new IdentityHashMap<>());

    ShardChannels(ClusterSession session, ClusterSessions sessions, int shards) {
        this.session = session;
        this.sessions = sessions;
        this.links = new ShardLink[shards];
        this.muxes = new ShardMux[shards];
    }

    int count() {
        return links.length;
    }

    /** An ordinary command on the shard's shared connection; it leaves at the end of the read ({@link #flush}). */
    void shared(int shard, Buffer frame, Consumer<Buffer> onReply) {
        if (session.state.tracking) {
            own(shard).send(frame, onReply);  // the engine tracks the keys a connection reads: the client's own
            return;
        }
        if (session.state.db != muxDb || !session.engineUser().equals(muxUser) || session.state.protocol != muxProtocol) {
            Arrays.fill(muxes, null);
            muxDb = session.state.db;
            muxUser = session.engineUser();
            muxProtocol = session.state.protocol;
        }
        ShardMux mux = muxes[shard];
        if (mux == null || mux.isClosed()) {
            mux = sessions.mux(session.proxy(), session.context(), session.netClient(), shard, muxUser, muxDb, muxProtocol);
            muxes[shard] = mux;
        }
        mux.send(frame, onReply, session);
        touched.add(mux);
    }

    /** The client's own connection to the shard; one the shard refused answers its error to what is sent on it. */
    ShardLink own(int shard) {
        if (links[shard] == null) {
            if (!sessions.acquireShardConnection(session.proxy(), shard, session.proxy().policy().shardBackendConnections())) {
                // The shard has its cap of backend connections: this command is refused, a later one tries again.
                return new ShardLink(session, shard, Replies.MAX_CLIENTS);
            }
            links[shard] = new ShardLink(session, shard, null);
        }
        return links[shard];
    }

    /**
     * (Un)subscribes on the first shard, which carries PUBLISH, and mirrors it on the others for their
     * keyspace events. The client's confirmations (the first shard's) leave once every shard has the
     * subscription, so that no event is missed after it.
     */
    void pubSub(RespCommand cmd) {
        boolean subscribe = cmd.name().equals("subscribe") || cmd.name().equals("psubscribe");
        ClusterReply mirrored = session.pending(links.length - 1, parts -> Buffer.buffer());
        for (int s = 1; s < links.length; s++) {
            Consumer<Buffer> part = mirrored.part(s - 1);
            own(s).mirrorPubSub(cmd.frame(), subscribe ? cmd.argc() - 1 : 0, () -> {
                part.accept(Buffer.buffer());
                session.drain();
            });
        }
        own(0).sendPubSub(cmd.frame());
    }

    /** The client's own connections now open. */
    void eachOwn(Consumer<ShardLink> action) {
        for (ShardLink l : links) {
            if (l != null) {
                action.accept(l);
            }
        }
    }

    /** The link is gone (refused, lost while idle, done after RESET): a later command opens a new one. */
    void detach(ShardLink link) {
        if (links[link.shard] == link) {
            links[link.shard] = null;
            sessions.releaseShardConnection(link.shard);
        } else if (retired.remove(link)) {
            sessions.releaseShardConnection(link.shard);
        }
    }

    /** The shard's master changed: the own connection to it follows if it can ({@link ShardLink#relinked}). */
    void relinked(int shard) {
        muxes[shard] = null;
        if (links[shard] != null) {
            links[shard].relinked();
        }
    }

    /**
     * RESET: every own connection ends, and the state the engine kept for it with it; one with a
     * command in flight ends once that is answered. Later commands open new ones.
     */
    void retireAll() {
        for (int s = 0; s < links.length; s++) {
            ShardLink l = links[s];
            if (l != null) {
                links[s] = null;
                retired.add(l);
                l.retire();
            }
        }
    }

    /** Sends what the read queued: the shared connections once the event loop has handled the reads at hand. */
    void flush() {
        touched.forEach(ShardMux::scheduleFlush);
        touched.clear();
        eachOwn(ShardLink::flush);
    }

    void close() {
        eachOwn(l -> {
            sessions.releaseShardConnection(l.shard);
            l.close();
        });
        retired.forEach(l -> {
            sessions.releaseShardConnection(l.shard);
            l.close();
        });
        retired.clear();
    }
}
