package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.CommandMeter;
import dev.kvsim.proxy.Closing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

/**
 * The replies a cluster client is owed, oldest first: each leaves when it and every one before it
 * is done, whatever shard answered first, and those done together leave in one write.
 *
 * <p>It also tells when the client has more replies unsent than its bound
 * ({@code kvsim.proxy.client-output-limit}): in the client's write queue (it does not read them), or
 * done and waiting behind an earlier one (a blocking command at the head); or more commands in flight
 * than the bound allows (a reply owed costs kvsim about {@link #BYTES_PER_OWED} bytes before it comes:
 * 8,192 for 1 MB). The session then stops reading the client's commands until they are back under
 * the bound, and, while the client
 * does not read, its own shard connections too (not while the head waits: its reply may come on one).
 * Replies to commands already sent on a shared shard connection still come in meanwhile: the shared
 * connection serves the other clients of the event loop and is never held for one client.
 */
final class ReplyQueue {

    /** What the session does when the client's unsent replies pass their bound, or are back under it. */
    interface Backlog {
        /**
         * @param overBound the replies unsent (written or waiting) are past the bound: commands are not read
         * @param unread    the client does not read what was written: its own shard connections are not read
         */
        void changed(boolean overBound, boolean unread);
    }

    private final NetSocket client;
    private final CommandMeter meter;
    private final int bound;
    private final Backlog backlog;
    /** What one reply owed costs while its command is in flight: the reply's place, the shard's record, the command. */
    static final int BYTES_PER_OWED = 128;

    private final ArrayDeque<ClusterReply> order = new ArrayDeque<>();
    /** The most replies owed at once before the client's commands are no longer read. */
    private final int maxOwed;
    /** Bytes of the replies done and not yet written (they wait for an earlier one). */
    private long waiting;
    private boolean overBound;
    private boolean unread;
    private boolean closed;

    ReplyQueue(NetSocket client, CommandMeter meter, int bound, Backlog backlog) {
        this.client = client;
        this.meter = meter;
        this.bound = bound;
        this.maxOwed = bound / BYTES_PER_OWED;
        this.backlog = backlog;
        client.setWriteQueueMaxSize(bound);
        client.drainHandler(v -> checkBacklog());
    }

    /** A reply the proxy makes itself; {@code closeAfter}: the connection closes once it is written. */
    void local(Buffer reply, boolean closeAfter) {
        order.add(ClusterReply.local(reply, closeAfter));
        completed(reply);
        drain();
    }

    /** A reply made of {@code parts} shard replies, merged once all have come. */
    ClusterReply pending(int parts, Function<List<Buffer>, Buffer> merge) {
        ClusterReply r = new ClusterReply(this, parts, merge);
        if (parts == 0) {
            r.accept(merge.apply(List.of()));
        }
        order.add(r);
        if (order.size() > maxOwed && !overBound) {
            checkBacklog();
        }
        return r;
    }

    /** A reply is done: it waits unsent until it is at the head. */
    void completed(Buffer reply) {
        waiting += reply.length();
    }

    /** Writes the finished replies at the head of the queue, in one write. */
    void drain() {
        Buffer out = null;
        boolean owned = false;
        boolean closeAfter = false;
        while (!order.isEmpty() && order.peekFirst().done != null) {
            ClusterReply r = order.pollFirst();
            waiting -= r.done.length();
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
            Closing.close(client);
            return;
        }
        checkBacklog();
        ClusterReply head = order.peekFirst();
        if (head != null && head.onHead != null && !closed) {
            Runnable start = head.onHead;
            head.onHead = null;
            start.run();
        }
    }

    /** Tells the session when the unsent replies pass the bound, or are back under it. */
    private void checkBacklog() {
        boolean notRead = !closed && client.writeQueueFull();
        boolean over = notRead || !closed && (waiting > bound || order.size() > maxOwed);
        if (over != overBound || notRead != unread) {
            overBound = over;
            unread = notRead;
            backlog.changed(over, notRead);
        }
    }

    /** The client is gone: nothing more is written. */
    void closed() {
        closed = true;
    }
}
