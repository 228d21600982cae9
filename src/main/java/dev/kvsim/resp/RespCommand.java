package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One client command as framed by {@link RespCommandParser}: the RESP bytes to forward
 * ({@code source[start, end)}, never copied) and where each argument sits in them.
 */
public final class RespCommand {

    final Buffer source;
    final int start;
    final int end;
    private final int[] argStart;
    private final int[] argLen;
    private String name;
    private List<byte[]> args;

    RespCommand(Buffer source, int start, int end, int[] argStart, int[] argLen) {
        this.source = source;
        this.start = start;
        this.end = end;
        this.argStart = argStart;
        this.argLen = argLen;
    }

    /** The received bytes the command is framed in: {@code source()[start(), end())}. */
    public Buffer source() {
        return source;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public int argc() {
        return argStart.length;
    }

    /** The command name, lower case. */
    public String name() {
        if (name == null) {
            name = lowerAscii(0);
        }
        return name;
    }

    /**
     * Argument {@code i} lower-cased as ASCII. On the hot path (every command's name): no charset
     * lookup and a Latin-1 string, which the JDK builds by copying bytes.
     */
    private String lowerAscii(int i) {
        int len = argLen[i];
        byte[] bytes = new byte[len];
        source.getBytes(argStart[i], argStart[i] + len, bytes);
        for (int k = 0; k < len; k++) {
            byte c = bytes[k];
            if (c >= 'A' && c <= 'Z') {
                bytes[k] = (byte) (c + 32);
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether argument {@code i} is {@code lowerAscii} in any case (ASCII letters only fold), read in place: no
     * copy, for checks made on every command.
     */
    public boolean argIs(int i, byte[] lowerAscii) {
        if (i >= argStart.length || argLen[i] != lowerAscii.length) {
            return false;
        }
        int p = argStart[i];
        for (int k = 0; k < lowerAscii.length; k++) {
            byte c = source.getByte(p + k);
            if (c >= 'A' && c <= 'Z') {
                c = (byte) (c + 32);
            }
            if (c != lowerAscii[k]) {
                return false;
            }
        }
        return true;
    }

    public byte[] arg(int i) {
        return source.getBytes(argStart[i], argStart[i] + argLen[i]);
    }

    public String argString(int i) {
        return source.getString(argStart[i], argStart[i] + argLen[i], StandardCharsets.UTF_8.name());
    }

    /** Argument {@code i} lower case, or "" when absent. */
    public String argLower(int i) {
        return i < argc() ? argString(i).toLowerCase(Locale.ROOT) : "";
    }

    /** The arguments, read-only; each is copied out of the frame on first access only (routing reads just the keys). */
    public List<byte[]> args() {
        if (args == null) {
            byte[][] copied = new byte[argc()][];
            args = new java.util.AbstractList<>() {
                @Override
                public byte[] get(int i) {
                    if (copied[i] == null) {
                        copied[i] = arg(i);
                    }
                    return copied[i];
                }

                @Override
                public int size() {
                    return copied.length;
                }
            };
        }
        return args;
    }

    public Buffer frame() {
        return source.slice(start, end);
    }

    public int size() {
        return end - start;
    }
}
