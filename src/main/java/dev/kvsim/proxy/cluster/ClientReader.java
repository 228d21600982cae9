package dev.kvsim.proxy.cluster;

import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.proxy.CommandGate;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Throttle;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import dev.kvsim.resp.RespProtocolException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Reads one cluster client's commands, in order, and hands each with the gate's verdict to its
 * session; stops reading while a delay fault holds a command back or an EXEC waits on its first
 * shards (what the client sends meanwhile waits, in order), and for a while when the instance's
 * bandwidth or QPS is spent (throttled, never refused). Confined to the session's event loop.
 */
final class ClientReader {

    /** What the reader needs of its session. */
    interface Session {
        boolean authenticated();

        /** The connection is closing: nothing more is run. */
        boolean closing();

        boolean isClosed();

        /** A command arrived from the client, whatever becomes of it (counted for monitoring). */
        void received(RespCommand cmd);

        /** The gate's verdict on the command; {@code faults} false for one a delay fault already held. */
        CommandGate.Verdict check(RespCommand cmd, boolean faults);

        void run(RespCommand cmd, CommandGate.Verdict verdict);

        /** Malformed input: its error, then the connection closes. */
        void protocolError(String message);

        /** A read was handled: what it queued for the shards may leave. */
        void afterRead();
    }

    private final Session session;
    private final NetSocket client;
    private final Context context;
    private final InstanceProxy proxy;
    private final RespCommandParser parser = new RespCommandParser();
    private int commandsRead;
    /** While reading is paused: what the client sent meanwhile. */
    private Buffer held;

    ClientReader(Session session, NetSocket client, Context context, InstanceProxy proxy) {
        this.session = session;
        this.client = client;
        this.context = context;
        this.proxy = proxy;
    }

    void onData(Buffer data) {
        if (session.closing()) {
            return;
        }
        if (held != null) {
            // a throttle resumed the socket while a delay fault holds a command: keep the bytes for after it
            held.appendBuffer(data);
            client.pause();
            return;
        }
        try {
            parser.feed(data, session.authenticated(), this::onCommand);
        } catch (RespProtocolException e) {
            session.protocolError(e.getMessage());
        }
        session.afterRead();
        TrafficShaper shaper = proxy.policy().shaper();
        long wait = shaper == null ? 0 : Math.max(shaper.upstream(data.length()), shaper.commands(commandsRead));
        commandsRead = 0;
        if (wait > 0) {
            // Over the instance's bandwidth or QPS: stop reading this client for a while, never refuse.
            Throttle.pause(client, context, wait);
        }
    }

    private boolean onCommand(RespCommand cmd) {
        commandsRead++;
        if (session.closing()) {
            return true;
        }
        session.received(cmd);
        CommandGate.Verdict verdict = session.check(cmd, true);
        if (verdict instanceof CommandGate.Delay delay) {
            holdBack(cmd.frame().copy(), delay.ms());
            return false;  // the parser keeps the commands after it until it has run
        }
        session.run(cmd, verdict);
        return held == null;  // an EXEC waiting on its first shards holds the rest back
    }

    /** A delay fault: stop reading, run the command after the delay, then the ones the parser held. */
    private void holdBack(Buffer frame, long delayMs) {
        pause();
        context.owner().setTimer(Math.max(1, delayMs), t -> resume(() -> {
            try {
                new RespCommandParser().feed(frame, true, c -> {
                    session.run(c, session.check(c, false));
                    return true;
                });
            } catch (RespProtocolException e) {
                throw new IllegalStateException("a command that parsed once no longer parses", e);
            }
        }));
    }

    /** Stops reading the client; what it sends meanwhile waits in {@link #held}. */
    void pause() {
        client.pause();
        held = Buffer.buffer();
    }

    /** Reads on from the next event-loop pass, first what was held. */
    void resumeLater() {
        context.runOnContext(v -> resume(() -> { }));
    }

    /** Runs {@code first}, then the commands held since {@link #pause}, and reads on (unless paused again). */
    private void resume(Runnable first) {
        Buffer later = held;
        held = null;
        if (session.isClosed()) {
            return;
        }
        first.run();
        onData(later);
        if (held == null) {
            client.resume();
        }
    }
}
