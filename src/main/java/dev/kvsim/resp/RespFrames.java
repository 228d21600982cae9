package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Reads the parts of whole engine replies that the cluster proxy merges: integers, arrays, bulk strings. */
public final class RespFrames {

    private RespFrames() {
    }

    public static boolean isError(Buffer frame) {
        return frame.length() > 0 && frame.getByte(0) == '-';
    }

    /** The value of an integer reply ({@code :n}). */
    public static long integer(Buffer frame) {
        return RespCommandParser.parseLong(frame, 1, RespCommandParser.findCrlf(frame, 1, frame.length()));
    }

    /** The elements of an array reply, each a whole frame; empty for a null array. */
    public static List<Buffer> elements(Buffer frame) {
        int cr = RespCommandParser.findCrlf(frame, 1, frame.length());
        long n = RespCommandParser.parseLong(frame, 1, cr);
        List<Buffer> out = new ArrayList<>();
        RespReplyScanner splitter = new RespReplyScanner(true);
        int p = cr + 2;
        for (long i = 0; i < n; i++) {
            int end = splitter.scan(frame, p, 1);
            out.add(frame.slice(p, end));
            p = end;
        }
        return out;
    }

    /** The content of a bulk string reply, or null for a null bulk. */
    public static byte[] bulk(Buffer frame) {
        int cr = RespCommandParser.findCrlf(frame, 1, frame.length());
        long len = RespCommandParser.parseLong(frame, 1, cr);
        return len < 0 ? null : frame.getBytes(cr + 2, cr + 2 + (int) len);
    }
}
