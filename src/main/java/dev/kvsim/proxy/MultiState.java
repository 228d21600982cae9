package dev.kvsim.proxy;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * MULTI as a standard session tracks it beside the engine's own: the commands queued (with the
 * results the proxy answered itself or rewrites), and whether the proxy refused one, in which case
 * EXEC aborts as the engine would have.
 */
final class MultiState {

    private boolean open;
    private boolean dirty;
    /** A login to another account queued in it: the connection runs as that engine user from EXEC on. */
    private String switchingTo;
    private final List<ExecReplyRewrite.Queued> queue = new ArrayList<>();

    boolean isOpen() {
        return open;
    }

    /** MULTI went to the engine (a nested one changes nothing). */
    void begin() {
        if (!open) {
            open = true;
            queue.clear();
        }
    }

    /** The proxy refused a command: inside MULTI, EXEC then aborts. */
    void refused() {
        if (open) {
            dirty = true;
        }
    }

    /** A command queued inside MULTI (one element of the EXEC reply). */
    void queued(ExecReplyRewrite.Queued q) {
        if (open) {
            queue.add(q);
        }
    }

    /** The last command queued has its result rewritten in EXEC's reply. */
    void rewriteLast(UnaryOperator<Buffer> transform) {
        queue.set(queue.size() - 1, new ExecReplyRewrite.Queued(null, transform));
    }

    /** A login to another account was queued (it runs with EXEC). */
    void switchesTo(String engineUser) {
        switchingTo = engineUser;
    }

    /** The engine user a queued login switches to at EXEC, or null. */
    String switchingTo() {
        return open ? switchingTo : null;
    }

    /** Whether EXEC must abort: the engine never saw a command the proxy refused. */
    boolean aborts() {
        return open && dirty;
    }

    /** How EXEC's reply must be rewritten, or null when the engine's goes to the client as it is. */
    UnaryOperator<Buffer> execRewrite() {
        return open && !ExecReplyRewrite.needless(queue) ? new ExecReplyRewrite(queue) : null;
    }

    /** EXEC, DISCARD or RESET ended it. */
    void end() {
        open = false;
        dirty = false;
        switchingTo = null;
        queue.clear();
    }
}
