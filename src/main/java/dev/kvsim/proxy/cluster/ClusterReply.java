package dev.kvsim.proxy.cluster;


import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A reply a cluster session owes its client: whole once every part (a shard's reply) has come and
 * the parts are merged. Replies leave in command order, each when it and those before it are done.
 */
final class ClusterReply implements Consumer<Buffer> {

    /** The merge of a one-part reply: the shard's reply as it is. */
    static final Function<List<Buffer>, Buffer> AS_IS = parts -> parts.get(0);

    final Buffer[] parts;
    final Function<List<Buffer>, Buffer> merge;
    /** The queue it waits in, told when it is done (it counts what waits unsent); null for none. */
    private final ReplyQueue queue;
    int missing;
    Buffer done;
    boolean closeAfter;
    /** Runs once every reply before this one is done (WAIT starts only after the client's earlier writes). */
    Runnable onHead;

    ClusterReply(int partCount, Function<List<Buffer>, Buffer> merge) {
        this(null, partCount, merge);
    }

    ClusterReply(ReplyQueue queue, int partCount, Function<List<Buffer>, Buffer> merge) {
        this.queue = queue;
        this.parts = new Buffer[partCount];
        this.missing = partCount;
        this.merge = merge;
    }

    /** A reply the proxy makes itself: done from the start. */
    static ClusterReply local(Buffer reply, boolean closeAfter) {
        ClusterReply r = new ClusterReply(0, parts -> reply);
        r.done = reply;
        r.closeAfter = closeAfter;
        return r;
    }

    Consumer<Buffer> part(int index) {
        if (merge == AS_IS) {
            return this;  // one part, the reply itself: no callback object per command
        }
        return frame -> {
            parts[index] = frame;
            if (--missing == 0) {
                finish(merge.apply(List.of(parts)));
            }
        };
    }

    @Override
    public void accept(Buffer frame) {
        missing = 0;
        finish(frame);
    }

    private void finish(Buffer reply) {
        done = reply;
        if (queue != null) {
            queue.completed(reply);
        }
    }
}
