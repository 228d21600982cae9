package dev.kvsim.proxy.cluster;

import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.Throttle;
import dev.kvsim.resp.FrameSplitter;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A connection to one shard's master shared by the cluster clients of one event loop that run as
 * the same engine user on the same database in the same protocol: ordinary commands are
 * multiplexed on it, as the service's proxy does, so that a pipelined burst from many clients costs
 * one write and one read per shard instead of one per client. Replies come back in the order
 * commands went out; each goes to the client session that sent its command.
 *
 * <p>When the connection is lost with commands in flight (the master died, a network fault), nobody
 * can tell whether those ran: their clients' connections are closed, which is what they would see
 * of a node that went away. While the master refuses connections, commands wait for the shard to be
 * re-linked ({@link ShardConnector}). Confined to its event loop.
 */
final class ShardMux {

    private final InstanceProxy proxy;
    private final ClusterSessions owner;
    private final Context context;
    private final Runnable onClose;
    private final int shard;
    /** Whether it holds one of the shard's connection slots (released at close). */
    private final boolean admitted;
    /** Non-null once the shard refused the connection for being full: what commands get instead. */
    private Buffer refusal;
    /** A command sent and not answered yet; {@code session} is null for kvsim's own (login, SELECT, HELLO). */
    private record Waiting(Consumer<Buffer> onReply, ClusterSession session) {
    }

    private final ArrayDeque<Waiting> expected = new ArrayDeque<>();
    private final FrameSplitter frames = new FrameSplitter();
    private NetSocket socket;
    private Buffer queued = Buffer.buffer();
    private boolean closed;
    /** The shard's master changed: no new commands; it closes once those in flight are answered. */
    private boolean retired;
    private boolean flushScheduled;

    /**
     * @param login    the AUTH that makes the connection run as its engine user
     * @param protocol 2 or 3: the protocol of the clients that share it
     */
    ShardMux(InstanceProxy proxy, ClusterSessions owner, Context context, NetClient netClient, int shard,
             Buffer login, int db, int protocol, Runnable onClose) {
        this.proxy = proxy;
        this.owner = owner;
        this.context = context;
        this.onClose = onClose;
        this.shard = shard;
        this.admitted = owner.acquireShardConnection(proxy, shard, proxy.policy().shardBackendConnections());
        if (!admitted) {
            refusal = Replies.MAX_CLIENTS;  // the shard has its cap of backend connections
            closed = true;
            return;
        }
        send(login, reply -> {
            if (RespFrames.isError(reply)) {
                refuse(reply);
            }
        }, null);
        if (db != 0) {
            send(Resp.command("SELECT", Integer.toString(db)), reply -> { }, null);
        }
        if (protocol != 2) {
            send(Resp.command("HELLO", Integer.toString(protocol)), reply -> { }, null);
        }
        ShardConnector.connect(proxy, context, netClient, shard, () -> !closed, s -> {
            socket = s;
            if (closed) {
                s.close();
                return;
            }
            // shared by the clients of every logical proxy on this event loop: no proxy index
            NetworkFaultHandler.install(s, Link.backend(shard, -1), proxy.faults());
            s.handler(this::onData);
            s.closeHandler(v -> lose("the connection to shard " + shard + " was lost"));
            s.exceptionHandler(e -> lose("the connection to shard " + shard + " failed: " + e.getMessage()));
            flush();
        }, () -> lose("shard " + shard + " stayed unreachable for 30 s"));
    }

    /**
     * Queues a command; {@code onReply} gets its reply frame, and the session writes its finished
     * replies once per read that delivered replies to it.
     */
    void send(Buffer bytes, Consumer<Buffer> onReply, ClusterSession session) {
        if (closed) {
            onReply.accept(refusal == null ? Replies.MAX_CLIENTS : refusal);
            if (session != null) {
                session.drain();
            }
            return;
        }
        expected.add(new Waiting(onReply, session));
        queued.appendBuffer(bytes);
    }

    /** Whether new commands must go elsewhere: closed, or retired after its shard was re-linked. */
    boolean isClosed() {
        return closed || retired;
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
    private final Set<ClusterSession> toDrain = Collections.newSetFromMap(new IdentityHashMap<>());

    private void onData(Buffer data) {
        frames.feed(data, frame -> {
            Waiting w = expected.poll();
            if (w != null) {
                w.onReply().accept(frame);
                if (w.session() != null) {
                    toDrain.add(w.session());
                }
            }
        });
        toDrain.forEach(ClusterSession::drain);
        toDrain.clear();
        if (retired && expected.isEmpty()) {
            close();
            return;
        }
        TrafficShaper shaper = proxy.policy().shaper();
        long wait = shaper == null ? 0 : shaper.downstream(data.length());
        if (wait > 0) {
            Throttle.pause(socket, context, wait);
        }
    }

    /**
     * The shard's master changed: commands from now on go to a new connection to the new master;
     * this one closes once the commands in flight are answered (from any thread).
     */
    void retireAsync() {
        context.runOnContext(v -> {
            retired = true;
            if (expected.isEmpty()) {
                close();
            }
        });
    }

    /**
     * The node refused the login: when it is full, what waits gets the engine's error and a later
     * command tries again; any other refusal means kvsim's credentials no longer work.
     */
    private void refuse(Buffer reply) {
        if (ClusterSessions.nodeFull(reply)) {
            refusal = Replies.MAX_CLIENTS;
            close();
            return;
        }
        lose("shard " + shard + " refused kvsim's credentials: " + reply.toString().trim());
    }

    /** Ends it; a command still waiting has its client's connection closed (its outcome is unknown). */
    private void lose(String why) {
        if (closed) {
            return;
        }
        List<Waiting> waiting = new ArrayList<>(expected);
        expected.clear();
        close();
        if (waiting.stream().anyMatch(w -> w.session() != null)) {
            proxy.logClosed(why + " with commands in flight; their clients' connections are closed");
        }
        waiting.forEach(w -> {
            if (w.session() != null) {
                w.session().close();
            }
        });
    }

    /** Closes the connection; commands still waiting get {@link #refusal} (a full shard's error). */
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
        Set<ClusterSession> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!expected.isEmpty()) {
            Waiting w = expected.poll();
            w.onReply().accept(refusal == null ? Replies.MAX_CLIENTS : refusal);
            if (w.session() != null) {
                sessions.add(w.session());
            }
        }
        sessions.forEach(ClusterSession::drain);
    }

    /** Closes it from any thread. */
    void closeAsync() {
        context.runOnContext(v -> lose("the instance's connections were dropped"));
    }
}
