package dev.kvsim.proxy.cluster;

import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.proxy.BackendTarget;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.Throttle;
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
 * connection (blocking commands, WATCH and transactions, MONITOR, SUBSCRIBE): commands out, whole
 * reply frames back in order, pub/sub and MONITOR output straight to the client.
 */
final class ShardLink {

    private final ClusterSession session;
    final int shard;
    private final ArrayDeque<Consumer<Buffer>> expected = new ArrayDeque<>();
    private final FrameSplitter frames = new FrameSplitter();
    private NetSocket socket;
    private Buffer queued = Buffer.buffer();
    /** Non-null once the shard refused this connection: every command sent on it gets this. */
    private Buffer refused;
    /** Pub/sub commands sent, which a refusal must answer (they have no reply handler). */
    private int pubSubSent;
    /** Non-null while subscribed on this link: pub/sub frames are not replies to anything. */
    private PubSubFrame pubsub;
    /** MONITOR on this link: everything that follows goes to the client. */
    boolean monitoring;

    /** @param refused null to connect; else the error every command on this link gets */
    ShardLink(ClusterSession session, int shard, Buffer refused) {
        this.session = session;
        this.shard = shard;
        this.refused = refused;
        if (refused != null) {
            return;
        }
        authenticate();
        if (session.db() != 0) {
            send(Resp.command("SELECT", Integer.toString(session.db())), reply -> { });
        }
        InstanceProxy proxy = session.proxy();
        BackendTarget target = proxy.routing().masters().get(shard);
        session.netClient().connect(target.port(), "127.0.0.1").onComplete(ar -> {
            if (ar.failed() || session.isClosed()) {
                if (ar.succeeded()) {
                    ar.result().close();
                } else {
                    session.localThenClose(Resp.error("ERR kvsim: shard " + shard + " of the instance is not reachable"));
                }
                return;
            }
            socket = ar.result();
            NetworkFaultHandler.install(socket, Link.backend(shard, session.proxyIndex()), proxy.faults());
            socket.handler(this::onData);
            socket.closeHandler(v -> closeUnlessRefused());
            socket.exceptionHandler(e -> closeUnlessRefused());
            flush();
        });
    }

    private void closeUnlessRefused() {
        if (refused == null) {
            session.close();
        }
    }

    /** Logs the connection in as the session's engine user (the default user with kvsim's password). */
    void authenticate() {
        InstanceProxy proxy = session.proxy();
        Buffer auth = proxy.engineLogin(session.engineUser(), proxy.routing().masters().get(shard));
        send(auth, reply -> {
            if (!RespFrames.isError(reply)) {
                return;
            }
            Buffer why = ClusterSessions.shardRefusal(reply);
            if (why == Replies.MAX_CLIENTS) {
                refuse(why);
            } else {
                session.localThenClose(why);
            }
        });
    }

    /**
     * The node refused the new connection (it is full): what was sent on it gets the engine's
     * error, the client's session goes on and a later command opens a new connection.
     */
    private void refuse(Buffer why) {
        refused = why;
        session.linkRefused(this);
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
        pubSubSent++;
        queued.appendBuffer(bytes);
    }

    void flush() {
        if (socket != null && queued.length() > 0) {
            socket.write(queued);
            queued = Buffer.buffer();
        }
    }

    private void onData(Buffer data) {
        frames.feed(data, frame -> {
            int kind = pubsub != null ? pubsub.classify(frame) : PubSubFrame.REPLY;
            if (monitoring) {
                session.local(frame.copy());
            } else if (kind != PubSubFrame.REPLY) {
                if (kind == PubSubFrame.LAST_UNSUBSCRIBE) {
                    pubsub = null;
                }
                session.local(frame.copy());  // after the replies owed before it
            } else {
                Consumer<Buffer> handler = expected.poll();
                if (handler != null) {
                    handler.accept(frame);
                }
            }
        });
        session.drain();
        TrafficShaper shaper = session.proxy().policy().shaper();
        long wait = shaper == null ? 0 : shaper.downstream(data.length());
        if (wait > 0) {
            Throttle.pause(socket, session.context(), wait);
        }
    }

    void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
