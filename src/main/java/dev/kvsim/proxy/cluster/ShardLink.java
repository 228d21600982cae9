package dev.kvsim.proxy.cluster;

import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.ReadPauses;
import dev.kvsim.resp.FrameSplitter;
import dev.kvsim.resp.PubSubFrame;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A cluster client's own connection to one shard's master, for what holds or changes a
 * connection (blocking commands, WATCH and transactions, MONITOR, SUBSCRIBE, client-side caching):
 * commands out, whole reply frames back in order; pub/sub messages, invalidations and MONITOR output
 * straight to the client.
 *
 * <p>When the shard's master goes away (failover, switchover), a link that carries nothing but
 * finished request/replies is dropped quietly and the next command opens one to the new master; a
 * link with a command in flight or with state the engine kept for it (subscriptions, WATCH, MONITOR,
 * tracking, CLIENT settings) cannot follow, and its client's connection is closed.
 */
final class ShardLink {

    private final ClusterSession session;
    final int shard;
    private final ArrayDeque<Consumer<Buffer>> expected = new ArrayDeque<>();
    private final FrameSplitter frames = new FrameSplitter();
    private NetSocket socket;
    /** Why the connection is not read now: a bandwidth cap, or the client's own unsent replies. */
    private final ReadPauses reads;
    private Buffer queued = Buffer.buffer();
    /** Non-null once the shard refused this connection: every command sent on it gets this. */
    private Buffer refused;
    /** Pub/sub commands sent, which a refusal must answer (they have no reply handler). */
    private int pubSubSent;
    /** Non-null while subscribed on this link: pub/sub frames are not replies to anything. */
    private PubSubFrame pubsub;
    /** Subscriptions mirrored from shard 0 (for the shard's keyspace events): confirmations are not the client's. */
    private boolean mirror;
    /** A mirrored SUBSCRIBE or PSUBSCRIBE: how many confirmations it gets, and what to run once they came. */
    private static final class Subscribing {
        int confirmations;
        final Runnable done;

        Subscribing(int confirmations, Runnable done) {
            this.confirmations = confirmations;
            this.done = done;
        }
    }

    private final ArrayDeque<Subscribing> subscribing = new ArrayDeque<>();
    /** MONITOR on this link: everything that follows goes to the client. */
    boolean monitoring;
    /** The engine keeps state for this link (WATCH, SUBSCRIBE, MONITOR, tracking, CLIENT …): it cannot move to another node. */
    private boolean sticky;
    /** To close once what is in flight is answered (RESET). */
    private boolean retiring;
    private boolean closed;

    /** @param refused null to connect; else the error every command on this link gets */
    ShardLink(ClusterSession session, int shard, Buffer refused) {
        this.session = session;
        this.shard = shard;
        this.refused = refused;
        this.reads = new ReadPauses(session.context());
        if (refused != null) {
            return;
        }
        authenticate();
        if (session.state.db != 0) {
            send(Resp.command("SELECT", Integer.toString(session.state.db)), reply -> { });
        }
        if (session.state.protocol != 2) {
            send(Resp.command("HELLO", Integer.toString(session.state.protocol)), reply -> { });
        }
        InstanceProxy proxy = session.proxy();
        ShardConnector.connect(proxy, session.context(), session.netClient(), shard, () -> !closed && !session.isClosed(),
                s -> {
                    if (closed || session.isClosed()) {
                        s.close();
                        return;
                    }
                    socket = s;
                    reads.attach(s);
                    NetworkFaultHandler.install(s, Link.backend(shard, session.proxyIndex()), proxy.faults());
                    s.handler(this::onData);
                    s.closeHandler(v -> lost("the connection to shard " + shard + " was lost"));
                    s.exceptionHandler(e -> lost("the connection to shard " + shard + " failed: " + e.getMessage()));
                    flush();
                }, () -> {
                    proxy.logClosed("shard " + shard + " stayed unreachable for 30 s");
                    session.close();
                });
    }

    /** Logs the connection in as the session's engine user (the default user with kvsim's password). */
    void authenticate() {
        InstanceProxy proxy = session.proxy();
        Buffer auth = proxy.engineLogin(session.engineUser(), proxy.routing().masters().get(shard));
        send(auth, reply -> {
            if (!RespFrames.isError(reply)) {
                return;
            }
            if (ClusterSessions.nodeFull(reply)) {
                refuse(Replies.MAX_CLIENTS);
            } else {
                proxy.logClosed("shard " + shard + " refused kvsim's credentials: " + reply.toString().trim());
                session.close();
            }
        });
    }

    /**
     * The node refused the new connection (it is full): what was sent on it gets the engine's
     * error, the client's session goes on and a later command opens a new connection.
     */
    private void refuse(Buffer why) {
        refused = why;
        session.detach(this);
        while (!expected.isEmpty()) {
            expected.poll().accept(why);
        }
        for (; pubSubSent > 0; pubSubSent--) {
            session.local(why);
        }
    }

    void send(Buffer bytes, Consumer<Buffer> onReply) {
        if (refused != null) {
            onReply.accept(refused);
            session.drain();
            return;
        }
        expected.add(onReply);
        queued.appendBuffer(bytes);
    }

    /** A (un)subscribe command: answered by pub/sub frames, which go to the client as they come. */
    void sendPubSub(Buffer bytes) {
        if (refused != null) {
            session.local(refused);
            return;
        }
        if (pubsub == null) {
            pubsub = new PubSubFrame();
        }
        sticky = true;
        pubSubSent++;
        queued.appendBuffer(bytes);
    }

    /**
     * A (un)subscribe command mirrored from the first shard, for this shard's keyspace events: only its
     * messages go to the client. {@code confirmed} runs once the engine confirmed all
     * {@code confirmations} subscriptions (0 for an unsubscribe: nothing waits for it).
     */
    void mirrorPubSub(Buffer bytes, int confirmations, Runnable confirmed) {
        if (refused != null) {
            confirmed.run();
            return;
        }
        mirror = true;
        if (pubsub == null) {
            pubsub = new PubSubFrame();
        }
        sticky = true;
        if (confirmations > 0) {
            subscribing.add(new Subscribing(confirmations, confirmed));
        } else {
            confirmed.run();
        }
        queued.appendBuffer(bytes);
    }

    /** The engine now keeps state for this connection (WATCH, MONITOR, tracking, CLIENT settings). */
    void holdsState() {
        sticky = true;
    }

    void flush() {
        if (socket != null && queued.length() > 0) {
            socket.write(queued);
            queued = Buffer.buffer();
        }
    }

    private void onData(Buffer data) {
        frames.feed(data, frame -> {
            if (monitoring) {
                session.local(frame.copy());
                return;
            }
            boolean push = frame.getByte(0) == '>';
            // unsubscribed, a push is still no reply: a client-side caching invalidation
            int kind = pubsub != null ? pubsub.classify(frame) : push ? PubSubFrame.PUBSUB : PubSubFrame.REPLY;
            if (kind == PubSubFrame.REPLY) {
                Consumer<Buffer> handler = expected.poll();
                if (handler != null) {
                    handler.accept(frame);
                }
                return;
            }
            if (kind == PubSubFrame.LAST_UNSUBSCRIBE) {
                pubsub = null;
            }
            if (mirror && PubSubFrame.isConfirmation(frame)) {
                confirmedMirror(frame);
            } else if (!retiring) {
                session.local(frame.copy());  // after the replies owed before it
            }
        });
        session.drain();
        if (retiring && expected.isEmpty()) {
            close();
            session.detach(this);
            return;
        }
        TrafficShaper shaper = session.proxy().policy().shaper();
        long wait = shaper == null ? 0 : shaper.downstream(data.length());
        if (wait > 0) {
            reads.holdFor(wait);
        }
    }

    /**
     * The client's unsent replies passed their bound ({@code full}), or are back under it: what the
     * engine sends on this connection (messages, MONITOR output, replies) waits in the engine meanwhile.
     */
    void clientBacklog(boolean full) {
        if (full) {
            reads.hold(ReadPauses.PEER_FULL);
        } else {
            reads.release(ReadPauses.PEER_FULL);
        }
    }

    /** A mirrored subscription is active: the client's confirmation (from the first shard) may leave once all are. */
    private void confirmedMirror(Buffer frame) {
        Subscribing head = subscribing.peek();
        if (head != null && PubSubFrame.isSubscribe(frame) && --head.confirmations == 0) {
            subscribing.poll();
            head.done.run();
        }
    }

    /** Whether it can be dropped without the client noticing: nothing in flight, no state on the engine. */
    private boolean idle() {
        return expected.isEmpty() && !sticky && pubSubSent == 0;
    }

    /** The connection ended from the shard's side (its master died, a network fault). */
    private void lost(String why) {
        if (refused != null || closed) {
            return;
        }
        closed = true;
        if (idle() || retiring && expected.isEmpty()) {
            session.detach(this);  // the next command opens a connection to the shard's master of then
        } else {
            session.proxy().logClosed(why + " while the client's own connection to it was in use");
            session.close();
        }
    }

    /** The shard's master changed (a switchover: the old one still runs): as {@link #lost}, from this side. */
    void relinked() {
        if (idle()) {
            close();
            session.detach(this);
        } else {
            session.proxy().logClosed("shard " + shard + " switched to a new master while the client's own "
                    + "connection to the old one was in use");
            session.close();
        }
    }

    /** RESET: the engine forgets this connection's state when it closes; what is in flight is answered first. */
    void retire() {
        if (expected.isEmpty() || refused != null) {
            close();
            session.detach(this);
        } else {
            retiring = true;  // its subscriptions end with it: their messages are no longer the client's
            monitoring = false;
        }
    }

    void close() {
        closed = true;
        if (socket != null) {
            socket.close();
        }
    }
}
