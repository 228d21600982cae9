package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.Replies;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One cluster client's ways to the shards: for ordinary commands, the connection to each shard that
 * the clients of its event loop share for its engine user and database ({@link ShardMux}); for
 * what holds or changes a connection, its own ({@link ShardLink}), opened on first use. Each
 * counts against the shard's backend cap. Confined to the session's event loop.
 */
final class ShardChannels {

    private final ClusterSession session;
    private final ClusterSessions sessions;
    private final ShardLink[] links;
    /** The session's muxes for its current user and database, looked up once rather than per command. */
    private final ShardMux[] muxes;
    private int muxDb = -1;
    private String muxUser;
    /** Shared connections this read queued commands on; flushed once at its end. */
    private final Set<ShardMux> touched = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Runnable drainer;

    ShardChannels(ClusterSession session, ClusterSessions sessions, int shards) {
        this.session = session;
        this.sessions = sessions;
        this.links = new ShardLink[shards];
        this.muxes = new ShardMux[shards];
        this.drainer = session::drain;
    }

    int count() {
        return links.length;
    }

    /** An ordinary command on the shard's shared connection; it leaves at the end of the read ({@link #flush}). */
    void shared(int shard, Buffer frame, Consumer<Buffer> onReply) {
        if (session.db() != muxDb || !session.engineUser().equals(muxUser)) {
            Arrays.fill(muxes, null);
            muxDb = session.db();
            muxUser = session.engineUser();
        }
        ShardMux mux = muxes[shard];
        if (mux == null || mux.isClosed()) {
            mux = sessions.mux(session.proxy(), session.context(), session.netClient(), shard, muxUser, muxDb);
            muxes[shard] = mux;
        }
        mux.send(frame, onReply, drainer);
        touched.add(mux);
    }

    /** The client's own connection to the shard; one the shard refused answers its error to what is sent on it. */
    ShardLink own(int shard) {
        if (links[shard] == null) {
            if (!sessions.acquireShardConnection(shard, session.proxy().policy().shardBackendConnections())) {
                // The shard has its cap of backend connections: this command is refused, a later one tries again.
                return new ShardLink(session, shard, Replies.MAX_CLIENTS);
            }
            links[shard] = new ShardLink(session, shard, null);
        }
        return links[shard];
    }

    /** The client's own connections now open. */
    void eachOwn(Consumer<ShardLink> action) {
        for (ShardLink l : links) {
            if (l != null) {
                action.accept(l);
            }
        }
    }

    /** The shard refused the link's connection: a later command opens a new one. */
    void refused(ShardLink link) {
        if (links[link.shard] == link) {
            links[link.shard] = null;
            sessions.releaseShardConnection(link.shard);
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
    }
}
