package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.Replies;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SCAN over a cluster instance, every shard in turn: the client's cursor carries the shard
 * (cursor = engine cursor × shards + shard), so that a full iteration visits each shard's keyspace
 * once; and the proxy's ISCAN, a SCAN of one shard.
 */
final class ClusterScan {

    private static final byte[] SCAN = "SCAN".getBytes(StandardCharsets.US_ASCII);

    private final ClusterIo io;

    ClusterScan(ClusterIo io) {
        this.io = io;
    }

    void scan(RespCommand cmd) {
        long cursor;
        try {
            cursor = cmd.argc() >= 2 ? Long.parseUnsignedLong(cmd.argString(1)) : -1;
        } catch (NumberFormatException e) {
            cursor = -1;
        }
        if (cursor == -1) {
            io.local(cmd.argc() < 2 ? Replies.wrongArity("scan") : Resp.error("ERR invalid cursor"));
            return;
        }
        int n = io.shards();
        int shard = (int) Long.remainderUnsigned(cursor, n);
        long engineCursor = Long.divideUnsigned(cursor, n);
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.set(1, Long.toUnsignedString(engineCursor).getBytes(StandardCharsets.US_ASCII));
        ClusterReply r = io.pending(1, parts -> clientReply(parts.get(0), shard, n));
        io.shared(shard, Resp.command(args), r.part(0));
    }

    /** The shard's SCAN reply with the client's cursor: the shard's next one, else the next shard's start, else 0. */
    private static Buffer clientReply(Buffer reply, int shard, int shards) {
        if (RespFrames.isError(reply)) {
            return reply;
        }
        List<Buffer> cursorAndKeys = RespFrames.elements(reply);
        long next = Long.parseUnsignedLong(new String(RespFrames.bulk(cursorAndKeys.get(0)), StandardCharsets.US_ASCII));
        long clientNext = next != 0 ? next * shards + shard : shard + 1 < shards ? shard + 1 : 0;
        return Resp.array(List.of(Resp.bulk(Long.toUnsignedString(clientNext)), cursorAndKeys.get(1)));
    }

    /** ISCAN <shard> <cursor> [MATCH p] [COUNT n]: SCAN of one shard. */
    void iscan(RespCommand cmd) {
        int shard = cmd.argc() >= 3 ? io.shardIndex(cmd.argString(1)) : -1;
        if (shard < 0) {
            io.local(io.invalidShard());
            return;
        }
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.remove(1);
        args.set(0, SCAN);
        io.toShard(shard, Resp.command(args));
    }
}
