package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.CommandMeter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

/**
 * The replies a cluster client is owed, oldest first: each leaves when it and every one before it
 * is done, whatever shard answered first, and those done together leave in one write.
 */
final class ReplyQueue {

    private final NetSocket client;
    private final CommandMeter meter;
    private final ArrayDeque<ClusterReply> order = new ArrayDeque<>();
    private boolean closed;

    ReplyQueue(NetSocket client, CommandMeter meter) {
        this.client = client;
        this.meter = meter;
    }

    /** A reply the proxy makes itself; {@code closeAfter}: the connection closes once it is written. */
    void local(Buffer reply, boolean closeAfter) {
        order.add(ClusterReply.local(reply, closeAfter));
        drain();
    }

    /** A reply made of {@code parts} shard replies, merged once all have come. */
    ClusterReply pending(int parts, Function<List<Buffer>, Buffer> merge) {
        ClusterReply r = new ClusterReply(parts, merge);
        if (parts == 0) {
            r.done = merge.apply(List.of());
        }
        order.add(r);
        return r;
    }

    /** Writes the finished replies at the head of the queue, in one write. */
    void drain() {
        Buffer out = null;
        boolean owned = false;
        boolean closeAfter = false;
        while (!order.isEmpty() && order.peekFirst().done != null) {
            ClusterReply r = order.pollFirst();
            if (out == null) {
                out = r.done;  // the usual case, one reply: written as it is, no copy
            } else {
                if (!owned) {
                    out = Buffer.buffer(out.length() * 4).appendBuffer(out);
                    owned = true;
                }
                out.appendBuffer(r.done);
            }
            closeAfter |= r.closeAfter;
        }
        if (out != null && !closed) {
            meter.replied();
            client.write(out);
        }
        if (closeAfter) {
            client.close();
            return;
        }
        ClusterReply head = order.peekFirst();
        if (head != null && head.onHead != null && !closed) {
            Runnable start = head.onHead;
            head.onHead = null;
            start.run();
        }
    }

    /** The client is gone: nothing more is written. */
    void closed() {
        closed = true;
    }
}
