package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the parts of whole engine replies that the cluster proxy merges, in RESP2 and RESP3:
 * integers, aggregates (arrays, sets, maps, pushes), strings (bulk, verbatim, simple) and nulls.
 */
public final class RespFrames {

    private RespFrames() {
    }

    public static boolean isError(Buffer frame) {
        return frame.length() > 0 && (frame.getByte(0) == '-' || frame.getByte(0) == '!');
    }

    /** RESP3's null, or RESP2's null bulk or null array. */
    public static boolean isNull(Buffer frame) {
        if (frame.length() == 0) {
            return false;
        }
        byte type = frame.getByte(0);
        return type == '_' || ((type == '$' || type == '*') && frame.length() > 1 && frame.getByte(1) == '-');
    }

    /** The frame's type byte: '*' array, '~' set, '%' map, '$' bulk, '=' verbatim, '_' null … */
    public static byte type(Buffer frame) {
        return frame.getByte(0);
    }

    /** The value of an integer reply ({@code :n}). */
    public static long integer(Buffer frame) {
        return RespCommandParser.parseLong(frame, 1, RespCommandParser.findCrlf(frame, 1, frame.length()));
    }

    /**
     * The elements of an aggregate reply (array, set, push; a map's keys and values alternating), each
     * a whole frame; empty for a null.
     */
    public static List<Buffer> elements(Buffer frame) {
        List<Buffer> out = new ArrayList<>();
        if (isNull(frame)) {
            return out;
        }
        int cr = RespCommandParser.findCrlf(frame, 1, frame.length());
        long n = RespCommandParser.parseLong(frame, 1, cr);
        if (frame.getByte(0) == '%') {
            n *= 2;
        }
        RespReplyScanner splitter = new RespReplyScanner(true);
        int p = cr + 2;
        for (long i = 0; i < n; i++) {
            int end = splitter.scan(frame, p, 1);
            out.add(frame.slice(p, end));
            p = end;
        }
        return out;
    }

    /**
     * The content of a string reply: a bulk, a verbatim string (without its format prefix) or a
     * simple string; null for a null.
     */
    public static byte[] bulk(Buffer frame) {
        if (isNull(frame)) {
            return null;
        }
        int cr = RespCommandParser.findCrlf(frame, 1, frame.length());
        if (frame.getByte(0) == '+') {
            return frame.getBytes(1, cr);
        }
        long len = RespCommandParser.parseLong(frame, 1, cr);
        int skip = frame.getByte(0) == '=' ? 4 : 0;  // "txt:"
        return frame.getBytes(cr + 2 + skip, cr + 2 + (int) len);
    }
}
