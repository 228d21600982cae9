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
        Buffer b = Buffer.buffer().appendString("*" + elements.size() + "\r\n");
        elements.forEach(b::appendBuffer);
        return b;
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
