package dev.kvsim.proxy;

import dev.kvsim.commands.CommandKind;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.resp.RespCommand;

/**
 * One client connection's share of the instance's monitoring: counts its commands by family and times
 * its round trips through the proxy, from the oldest command still unanswered to its first reply (a
 * blocking command's wait is the client's, so it starts no clock). Two clock reads per round trip, not
 * per command; confined to the connection's event loop. Does nothing when monitoring is off.
 */
public final class CommandMeter {

    private final InstanceProxy proxy;
    private final LoopCounters counters;
    private boolean lastBlocking;
    /** {@link System#nanoTime()} when the oldest unanswered command arrived; 0 when none is. */
    private long since;

    /** Made on the connection's event loop. */
    public CommandMeter(InstanceProxy proxy) {
        this.proxy = proxy;
        this.counters = proxy.counters().forCurrentLoop();
    }

    /** A command from the client, whatever becomes of it. */
    public void command(RespCommand cmd) {
        if (counters == null) {
            return;
        }
        KeySpecs specs = proxy.routing().keySpecs();
        CommandKind kind = specs == null ? CommandKind.OTHER : specs.kind(cmd.name());
        counters.command(kind.family());
        lastBlocking = kind.blocking();
    }

    /** The last command now waits for a reply: the round trip's clock starts unless one already runs. */
    public void awaitingReply() {
        if (counters != null && since == 0 && !lastBlocking) {
            since = System.nanoTime();
        }
    }

    /** Reply bytes reached the client's side of the proxy: the round trip, if one was timed, ends. */
    public void replied() {
        if (since != 0) {
            counters.roundTrip(System.nanoTime() - since);
            since = 0;
        }
    }
}
