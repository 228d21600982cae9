package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;
import java.util.function.Predicate;

/** Cuts an engine connection's output into whole top-level frames (replies and pushes), across reads. */
public final class FrameSplitter {

    private final RespReplyScanner scanner = new RespReplyScanner(true);
    /** The start of a frame not yet complete, copied out of the read it came in. */
    private Buffer partial;

    /** Hands {@code sink} every frame completed by {@code data}, in order. */
    public void feed(Buffer data, Consumer<Buffer> sink) {
        feedUntil(data, frame -> {
            sink.accept(frame);
            return true;
        });
    }

    /**
     * Hands {@code sink} the frames completed by {@code data} until it answers false.
     *
     * @return after a stop, the bytes that follow the last frame handed out (this splitter then
     *         holds nothing); null when every frame was handed out
     */
    public Buffer feedUntil(Buffer data, Predicate<Buffer> sink) {
        Buffer buf = partial == null ? data : partial.appendBuffer(data);
        int from = partial == null ? 0 : partial.length() - data.length();
        int start = 0;
        while (true) {
            int end = scanner.scan(buf, from, 1);
            if (scanner.completed() == 0) {
                break;
            }
            boolean more = sink.test(buf.slice(start, end));
            start = end;
            from = end;
            if (!more) {
                partial = null;
                return buf.slice(start, buf.length());
            }
        }
        partial = start >= buf.length() ? null : Buffer.buffer().appendBuffer(buf, start, buf.length() - start);
        return null;
    }
}
