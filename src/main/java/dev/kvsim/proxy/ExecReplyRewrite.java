package dev.kvsim.proxy;

import dev.kvsim.resp.RespCommandParser;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The EXEC reply as the client must see it when the proxy answered some queued commands itself
 * (AUTH, CONFIG SET) or must rewrite their results (CONFIG GET): the engine's array gets the
 * proxy's results spliced in at their places in the queue.
 */
final class ExecReplyRewrite implements UnaryOperator<Buffer> {

    /** One queued command: answered by the proxy ({@code local}) or by the engine (optionally rewritten). */
    record Queued(Buffer local, UnaryOperator<Buffer> transform) {
        private static final Queued ENGINE = new Queued(null, null);

        static Queued engine() {
            return ENGINE;
        }
    }

    private final List<Queued> queue;

    ExecReplyRewrite(List<Queued> queue) {
        this.queue = List.copyOf(queue);
    }

    /** Whether EXEC ran the queued commands: an array, not EXECABORT nor the nil of a changed WATCHed key. */
    static boolean ran(Buffer execReply) {
        return execReply.length() > 1 && execReply.getByte(0) == '*' && execReply.getByte(1) != '-';
    }

    /** True when the engine's EXEC reply can go to the client as it is. */
    static boolean needless(List<Queued> queue) {
        return queue.stream().allMatch(q -> q.local() == null && q.transform() == null);
    }

    @Override
    public Buffer apply(Buffer reply) {
        if (reply.length() == 0 || reply.getByte(0) != '*') {
            return reply;  // EXECABORT, or a nil because a WATCHed key changed
        }
        int cr = RespCommandParser.findCrlf(reply, 1, reply.length());
        long engineCount = RespCommandParser.parseLong(reply, 1, cr);
        long expected = queue.stream().filter(q -> q.local() == null).count();
        if (engineCount != expected) {
            return reply;
        }
        List<Buffer> engineResults = RespFrames.elements(reply);
        Buffer out = Buffer.buffer(reply.length() + 64).appendString("*" + queue.size() + "\r\n");
        int next = 0;
        for (Queued q : queue) {
            if (q.local() != null) {
                out.appendBuffer(q.local());
            } else {
                Buffer result = engineResults.get(next++);
                out.appendBuffer(q.transform() == null ? result : q.transform().apply(result));
            }
        }
        return out;
    }
}
