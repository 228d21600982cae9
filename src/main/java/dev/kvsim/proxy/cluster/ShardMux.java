package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.BackendTarget;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.Throttle;

import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.FrameSplitter;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A connection to one shard's master shared by the cluster clients of one event loop that run as
 * the same engine user on the same database: ordinary commands are multiplexed on it, as the
 * service's proxy does, so that a pipelined burst from many clients costs one write and one read
 * per shard instead of one per client. Replies come back in the order commands went out; each
 * goes to the client session that sent its command. Confined to its event loop.
 */
final class ShardMux {

    private static final Buffer SHARD_LOST = Resp.error("ERR kvsim: the connection to a shard was lost");

    private final InstanceProxy proxy;
    private final ClusterSessions owner;
    private final Context context;
    private final Runnable onClose;
    private final int shard;
    /** Whether it holds one of the shard's connection slots (released at close). */
    private final boolean admitted;
    /** What commands get once closed: a lost connection, or the shard's refusal of it. */
    private Buffer failure = SHARD_LOST;
    private final ArrayDeque<Consumer<Buffer>> expected = new ArrayDeque<>();
    private final ArrayDeque<Runnable> afterReply = new ArrayDeque<>();
    private final FrameSplitter frames = new FrameSplitter();
    private NetSocket socket;
    private Buffer queued = Buffer.buffer();
    private boolean closed;
    private boolean flushScheduled;

    /** @param login the AUTH that makes the connection run as its engine user */
    ShardMux(InstanceProxy proxy, ClusterSessions owner, Context context, NetClient netClient, int shard,
             BackendTarget target, Buffer login, int db, Runnable onClose) {
        this.proxy = proxy;
        this.owner = owner;
        this.context = context;
        this.onClose = onClose;
        this.shard = shard;
        this.admitted = owner.acquireShardConnection(shard, proxy.policy().shardBackendConnections());
        if (!admitted) {
            failure = Replies.MAX_CLIENTS;  // the shard has its cap of backend connections
            closed = true;
            return;
        }
        Runnable none = () -> { };
        send(login, reply -> {
            if (RespFrames.isError(reply)) {
                failure = ClusterSessions.shardRefusal(reply);
                close();
            }
        }, none);
        if (db != 0) {
            send(Resp.command("SELECT", Integer.toString(db)), reply -> { }, none);
        }
        netClient.connect(target.port(), "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                close();
                return;
            }
            socket = ar.result();
            if (closed) {
                socket.close();
                return;
            }
            // shared by the clients of every logical proxy on this event loop: no proxy index
            NetworkFaultHandler.install(socket, Link.backend(shard, -1), proxy.faults());
            socket.handler(this::onData);
            socket.closeHandler(v -> close());
            socket.exceptionHandler(e -> close());
            flush();
        });
    }

    /**
     * Queues a command; {@code onReply} gets its reply frame and {@code afterRead} runs once per
     * read that delivered replies to it (the session writes its finished replies then).
     */
    void send(Buffer bytes, Consumer<Buffer> onReply, Runnable afterRead) {
        if (closed) {
            onReply.accept(failure);
            afterRead.run();
            return;
        }
        expected.add(onReply);
        afterReply.add(afterRead);
        queued.appendBuffer(bytes);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Flushes once the event loop has handled the reads at hand, so that the commands of every
     * client read in one pass go out in one write (as an event-driven C proxy writes when the
     * socket is writable), rather than one write per client.
     */
    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    void flush() {
        if (socket != null && queued.length() > 0) {
            socket.write(queued);
            queued = Buffer.buffer();
        }
    }

    /** Sessions to let write what this read completed; reused across reads. */
    private final Set<Runnable> toRun = Collections.newSetFromMap(new IdentityHashMap<>());

    private void onData(Buffer data) {
        frames.feed(data, frame -> {
            Consumer<Buffer> handler = expected.poll();
            Runnable after = afterReply.poll();
            if (handler != null) {
                handler.accept(frame);
                toRun.add(after);
            }
        });
        toRun.forEach(Runnable::run);
        toRun.clear();
        dev.kvsim.limits.TrafficShaper shaper = proxy.policy().shaper();
        long wait = shaper == null ? 0 : shaper.downstream(data.length());
        if (wait > 0) {
            Throttle.pause(socket, context, wait);
        }
    }

    /** Every command still waiting gets an error; the next command opens a new connection. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
        if (admitted) {
            owner.releaseShardConnection(shard);
        }
        if (socket != null) {
            socket.close();
        }
        Set<Runnable> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!expected.isEmpty()) {
            expected.poll().accept(failure);
            sessions.add(afterReply.poll());
        }
        sessions.forEach(Runnable::run);
    }

    /** Closes it from any thread. */
    void closeAsync() {
        context.runOnContext(v -> close());
    }
}
