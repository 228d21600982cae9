package dev.kvsim.proxy.cluster;

import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.proxy.CommandGate;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.ReadPauses;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import dev.kvsim.resp.RespProtocolException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.function.BooleanSupplier;

/**
 * Reads one cluster client's commands, in order, and hands each with the gate's verdict to its
 * session. It stops reading ({@link ReadPauses}) while a delay fault holds a command back or an EXEC
 * waits on its first shards (the commands after it wait, in order), while more of the client's replies
 * are unsent than its bound, and for a while when the instance's bandwidth or QPS is spent (throttled,
 * never refused). Confined to the session's event loop.
 */
final class ClientReader {

    private static final Buffer NOTHING = Buffer.buffer(0);

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

        /** Malformed or oversized input: the engine's answer to it, then the connection closes. */
        void protocolError(RespProtocolException e);

        /** A read was handled: what it queued for the shards may leave. */
        void afterRead();
    }

    private final Session session;
    private final Context context;
    private final InstanceProxy proxy;
    private final RespCommandParser parser = new RespCommandParser();
    private final ReadPauses pauses;
    private int commandsRead;
    /** Asked by the parser before each command: the limits before AUTH apply until the AUTH has run. */
    private final BooleanSupplier authState;

    ClientReader(Session session, NetSocket client, Context context, InstanceProxy proxy) {
        this.session = session;
        this.context = context;
        this.proxy = proxy;
        this.pauses = new ReadPauses(context, this::readHeld).attach(client);
        this.authState = session::authenticated;
    }

    void onData(Buffer data) {
        if (session.closing()) {
            return;
        }
        try {
            parser.feed(data, authState, this::onCommand);
        } catch (RespProtocolException e) {
            session.protocolError(e);
        }
        session.afterRead();
        TrafficShaper shaper = proxy.policy().shaper();
        long wait = shaper == null ? 0 : Math.max(shaper.upstream(data.length()), shaper.commands(commandsRead));
        commandsRead = 0;
        if (wait > 0) {
            // Over the instance's bandwidth or QPS: stop reading this client for a while, never refuse.
            pauses.holdFor(wait);
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
        // An EXEC waiting on its first shards, or replies past their bound: the parser keeps the rest.
        return !pauses.held();
    }

    /** A delay fault: stop reading, run the command after the delay, then the ones the parser kept. */
    private void holdBack(Buffer frame, long delayMs) {
        pauses.hold(ReadPauses.DELAYED);
        context.owner().setTimer(Math.max(1, delayMs), t -> {
            if (session.isClosed()) {
                return;
            }
            try {
                new RespCommandParser().feed(frame, true, c -> {
                    session.run(c, session.check(c, false));
                    return true;
                });
            } catch (RespProtocolException e) {
                throw new IllegalStateException("a command that parsed once no longer parses", e);
            }
            session.afterRead();
            pauses.release(ReadPauses.DELAYED);
        });
    }

    /** Stops reading the client until {@link #resumeLater}: an EXEC waits on its first shards. */
    void pause() {
        pauses.hold(ReadPauses.WAITING);
    }

    /** Reads on from the next event-loop pass, first what the parser kept. */
    void resumeLater() {
        context.runOnContext(v -> pauses.release(ReadPauses.WAITING));
    }

    /** The client's unsent replies passed their bound ({@code full}), or are back under it. */
    void backlog(boolean full) {
        if (full) {
            pauses.hold(ReadPauses.BACKLOG);
        } else {
            pauses.release(ReadPauses.BACKLOG);
        }
    }

    /** Nothing holds the client back any more: the commands the parser kept run first. */
    private void readHeld() {
        if (!session.isClosed()) {
            onData(NOTHING);
        }
    }
}
