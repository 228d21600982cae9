package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes the few replies and commands the proxy writes itself. */
public final class Resp {

    public static final Buffer OK = Buffer.buffer("+OK\r\n");

    private Resp() {
    }

    public static Buffer error(String message) {
        return Buffer.buffer("-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n");
    }

    public static Buffer simple(String s) {
        return Buffer.buffer("+" + s + "\r\n");
    }

    public static final Buffer NULL_BULK = Buffer.buffer("$-1\r\n");
    /** RESP3's null, which replaces RESP2's null bulk and null array. */
    public static final Buffer NULL = Buffer.buffer("_\r\n");

    /** A null in the connection's protocol. */
    public static Buffer nullReply(boolean resp3) {
        return resp3 ? NULL : NULL_BULK;
    }

    /** Text the engine answers as a verbatim string in RESP3 (INFO, CLIENT LIST, CLUSTER NODES) and as a bulk in RESP2. */
    public static Buffer verbatim(String text, boolean resp3) {
        if (!resp3) {
            return bulk(text);
        }
        byte[] value = text.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(value.length + 20).appendString("=" + (value.length + 4) + "\r\ntxt:")
                .appendBytes(value).appendString("\r\n");
    }

    /** A set reply of already-encoded elements: RESP3's set, or RESP2's array. */
    public static Buffer set(List<Buffer> elements, boolean resp3) {
        return aggregate(resp3 ? '~' : '*', elements.size(), elements);
    }

    /** A map reply of already-encoded keys and values, alternating: RESP3's map, or RESP2's flat array. */
    public static Buffer map(List<Buffer> keysAndValues, boolean resp3) {
        return resp3 ? aggregate('%', keysAndValues.size() / 2, keysAndValues)
                : aggregate('*', keysAndValues.size(), keysAndValues);
    }

    /** An aggregate of type {@code type} ('*', '~', '%', '>') whose header says {@code count}. */
    public static Buffer aggregate(char type, int count, List<Buffer> elements) {
        Buffer b = Buffer.buffer().appendString(type + Integer.toString(count) + "\r\n");
        elements.forEach(b::appendBuffer);
        return b;
    }

    public static Buffer integer(long n) {
        return Buffer.buffer(":" + n + "\r\n");
    }

    public static Buffer bulk(byte[] value) {
        return value == null ? NULL_BULK
                : Buffer.buffer(value.length + 16).appendString("$" + value.length + "\r\n").appendBytes(value).appendString("\r\n");
    }

    public static Buffer bulk(String value) {
        return bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** An array of already-encoded elements. */
    public static Buffer array(List<Buffer> elements) {
        return aggregate('*', elements.size(), elements);
    }

    public static Buffer command(List<byte[]> args) {
        Buffer b = Buffer.buffer();
        b.appendString("*").appendString(Integer.toString(args.size())).appendString("\r\n");
        for (byte[] a : args) {
            b.appendString("$").appendString(Integer.toString(a.length)).appendString("\r\n").appendBytes(a).appendString("\r\n");
        }
        return b;
    }

    public static Buffer command(String... args) {
        return command(java.util.Arrays.stream(args).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }
}
