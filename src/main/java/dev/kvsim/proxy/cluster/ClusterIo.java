package dev.kvsim.proxy.cluster;

import dev.kvsim.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the cluster proxy's command handlers ask of a client's session: commands to the shards,
 * and replies to the client in command order whatever shard answers first.
 */
interface ClusterIo {

    /** A reply the proxy makes itself, in its turn. */
    void local(Buffer reply);

    /** A reply made of {@code parts} shard replies, merged, in its turn. */
    ClusterReply pending(int parts, Function<List<Buffer>, Buffer> merge);

    /** An ordinary command, on the shard's connection shared by the clients of this event loop. */
    void shared(int shard, Buffer frame, Consumer<Buffer> onReply);

    /** A command that holds or changes its connection (blocking, WATCH, MULTI, MONITOR …), on this client's own. */
    void sendOwn(int shard, Buffer frame, Consumer<Buffer> onReply);

    /** How many shards the instance has. */
    int shards();

    /** The client wrote to the shard (or may have: a script): WAIT waits for its replicas there. */
    void wrote(int shard);

    /** One command to one shard, its reply as it is. */
    default void toShard(int shard, Buffer frame) {
        ClusterReply r = pending(1, ClusterReply.AS_IS);
        shared(shard, frame, r.part(0));
    }

    /** One command to one shard on this client's own connection, its reply as it is. */
    default void toOwnLink(int shard, Buffer frame) {
        ClusterReply r = pending(1, ClusterReply.AS_IS);
        sendOwn(shard, frame, r.part(0));
    }

    /** The same command to every shard, the replies merged. */
    default void everyShard(Buffer frame, Function<List<Buffer>, Buffer> merge) {
        ClusterReply r = pending(shards(), merge);
        for (int s = 0; s < shards(); s++) {
            shared(s, frame, r.part(s));
        }
    }

    /** The shard a proxy command (IINFO, ISCAN) names, or -1 when it is not one of the instance's. */
    default int shardIndex(String arg) {
        try {
            int n = Integer.parseInt(arg);
            return n >= 0 && n < shards() ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The proxy's answer to a shard index that is not one of the instance's. */
    default Buffer invalidShard() {
        return Resp.error("ERR invalid shard index; this instance has shards 0 to " + (shards() - 1));
    }
}
