package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Frames client commands incrementally: RESP multibulk arrays and inline commands, with the
 * engine's own limits and protocol-error texts. Complete multibulk frames are handed out as views
 * of the received bytes so that the proxy forwards them without re-encoding; only a partial frame
 * at the end of a read is copied. Lengths are checked against the engine's limits before anything
 * is allocated, and the copy grows with the bytes that arrive, never with the lengths a frame
 * announces: a 20-byte frame announcing 512 MB costs 20 bytes.
 */
public final class RespCommandParser {

    static final int INLINE_MAX = 64 * 1024;
    static final long BULK_MAX = 512L * 1024 * 1024;
    static final int UNAUTH_MULTIBULK_MAX = 10;
    static final int UNAUTH_BULK_MAX = 16 * 1024;
    /** The engine's default {@code client-query-buffer-limit}: an incomplete command may hold this much. */
    static final int QUERY_BUFFER_MAX = 1024 * 1024 * 1024;
    /** The smallest copy of a partial frame. */
    private static final int MIN_COPY = 1024;

    /** Receives each complete command. */
    public interface Sink {
        /** @return false to stop after this command; the rest waits for the next {@link #feed} */
        boolean command(RespCommand command);
    }

    private final int queryBufferMax;
    private boolean stopRequested;

    /** The start of an incomplete command, copied out of the reads it came in; null when none. */
    private Buffer pending;
    /** What {@link #pending} can hold before it is copied into a bigger buffer. */
    private int pendingCapacity;
    /** A lower bound of the incomplete command's size: it is not parsed again before that much has come. */
    private long needed;
    private long needAbs;

    public RespCommandParser() {
        this(QUERY_BUFFER_MAX);
    }

    /** @param queryBufferMax the most an incomplete command may hold (tests use less than the engine's 1 GB) */
    RespCommandParser(int queryBufferMax) {
        this.queryBufferMax = queryBufferMax;
    }

    /**
     * Frames what {@code data} completes and hands each command to {@code sink}.
     *
     * @throws RespProtocolException malformed input, or a length over the engine's limits; the
     *                               connection is to end, and the parser holds nothing any more
     */
    public void feed(Buffer data, boolean authenticated, Sink sink) throws RespProtocolException {
        feed(data, authenticated ? AUTHENTICATED : UNAUTHENTICATED, sink);
    }

    private static final BooleanSupplier AUTHENTICATED = () -> true;
    private static final BooleanSupplier UNAUTHENTICATED = () -> false;

    /**
     * As {@link #feed(Buffer, boolean, Sink)}, asking {@code authenticated} before each command, as
     * the engine applies its limits before AUTH to each command it reads: an AUTH and what follows it
     * in one read are framed with the limits of each one's moment.
     */
    public void feed(Buffer data, BooleanSupplier authenticated, Sink sink) throws RespProtocolException {
        try {
            parse(data, authenticated, sink);
        } catch (RespProtocolException e) {
            pending = null;
            throw e;
        }
    }

    private void parse(Buffer data, BooleanSupplier authenticated, Sink sink) throws RespProtocolException {
        Buffer buf;
        if (pending == null) {
            buf = data;
        } else {
            append(data);
            if (pending.length() < needed) {
                return;
            }
            buf = pending;
        }
        int len = buf.length();
        int pos = 0;
        while (pos < len) {
            needAbs = 0;
            stopRequested = false;
            int next = parseFrame(buf, pos, len, authenticated.getAsBoolean(), sink);
            if (next < 0) {
                break;
            }
            pos = next;
            if (stopRequested) {
                break;
            }
        }
        if (pos >= len) {
            pending = null;
            needed = 0;
        } else if (buf == pending && pos == 0) {
            needed = needAbs;
        } else {
            needed = needAbs == 0 ? 0 : needAbs - pos;
            int rest = len - pos;
            pendingCapacity = capacityFor(rest, MIN_COPY);
            pending = Buffer.buffer(pendingCapacity).appendBuffer(buf, pos, rest);
        }
    }

    /** Adds a read to the incomplete command, growing its copy with what arrived. */
    private void append(Buffer data) throws RespProtocolException {
        long total = (long) pending.length() + data.length();
        if (total > queryBufferMax) {
            throw RespProtocolException.queryBufferLimit();
        }
        if (total > pendingCapacity) {
            // Bigger by what arrived (doubling, for an amortised copy), never by an announced length.
            pendingCapacity = capacityFor((int) total, 2 * pendingCapacity);
            pending = Buffer.buffer(pendingCapacity).appendBuffer(pending);
        }
        pending.appendBuffer(data);
    }

    /**
     * Room for the {@code have} bytes that arrived and more: {@code step} (a doubling), or up to the
     * command's known lower bound ({@link #needed}) when it is bigger; never more than twice what arrived.
     */
    private int capacityFor(int have, long step) {
        long most = 2L * Math.max(have, MIN_COPY);
        long want = needed > have ? needed : Math.max(step, have);
        return (int) Math.min(Math.max(Math.min(want, most), have), QUERY_BUFFER_MAX);
    }

    private int parseFrame(Buffer b, int p, int len, boolean authed, Sink sink) throws RespProtocolException {
        byte first = b.getByte(p);
        if (first == '*') {
            return parseMultibulk(b, p, len, authed, sink);
        }
        if (first == '\r' || first == '\n' || isInlineStart(first)) {
            return parseInline(b, p, len, sink);
        }
        throw new RespProtocolException("expected '*' or an inline command, got " + describe(first));
    }

    private int parseMultibulk(Buffer b, int p, int len, boolean authed, Sink sink) throws RespProtocolException {
        int cr = findCrlf(b, p + 1, len);
        if (cr < 0) {
            if (len - p > INLINE_MAX) {
                throw new RespProtocolException("too big mbulk count string");
            }
            return -1;
        }
        long count = parseLong(b, p + 1, cr);
        if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE) {
            throw new RespProtocolException("invalid multibulk length");
        }
        if (!authed && count > UNAUTH_MULTIBULK_MAX) {
            throw new RespProtocolException("unauthenticated multibulk length");
        }
        int q = cr + 2;
        if (count <= 0) {
            return q;
        }
        int n = (int) count;
        int[] starts = new int[Math.min(n, 1024)];
        int[] lens = new int[starts.length];
        for (int i = 0; i < n; i++) {
            if (q >= len) {
                return -1;
            }
            byte t = b.getByte(q);
            if (t != '$') {
                throw new RespProtocolException("expected '$', got " + describe(t));
            }
            int lcr = findCrlf(b, q + 1, len);
            if (lcr < 0) {
                if (len - q > INLINE_MAX) {
                    throw new RespProtocolException("too big bulk count string");
                }
                return -1;
            }
            long bulk = parseLong(b, q + 1, lcr);
            if (bulk < 0 || bulk > BULK_MAX) {
                throw new RespProtocolException("invalid bulk length");
            }
            if (!authed && bulk > UNAUTH_BULK_MAX) {
                throw new RespProtocolException("unauthenticated bulk length");
            }
            long dataStart = lcr + 2L;
            long dataEnd = dataStart + bulk;
            if (dataEnd + 2 > len) {
                // Nothing can be decided before this argument's bytes are in. Not more: one byte of the
                // next argument may already be an error (a 5-byte "$-3\r\n" ends the command with one).
                needAbs = dataEnd + 2;
                return -1;
            }
            if (i == starts.length) {
                starts = java.util.Arrays.copyOf(starts, Math.min(n, starts.length * 2));
                lens = java.util.Arrays.copyOf(lens, starts.length);
            }
            starts[i] = (int) dataStart;
            lens[i] = (int) bulk;
            q = (int) dataEnd + 2;
        }
        stopRequested = !sink.command(new RespCommand(b, p, q, starts, lens));
        return q;
    }

    private int parseInline(Buffer b, int p, int len, Sink sink) throws RespProtocolException {
        int nl = -1;
        for (int i = p; i < len; i++) {
            if (b.getByte(i) == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            if (len - p > INLINE_MAX) {
                throw new RespProtocolException("too big inline request");
            }
            return -1;
        }
        int lineEnd = nl > p && b.getByte(nl - 1) == '\r' ? nl - 1 : nl;
        List<byte[]> args = splitArgs(b.getBytes(p, lineEnd));
        if (!args.isEmpty()) {
            Buffer encoded = Buffer.buffer().appendString("*" + args.size() + "\r\n");
            int[] starts = new int[args.size()];
            int[] lens = new int[args.size()];
            for (int i = 0; i < args.size(); i++) {
                byte[] a = args.get(i);
                encoded.appendString("$" + a.length + "\r\n");
                starts[i] = encoded.length();
                lens[i] = a.length;
                encoded.appendBytes(a).appendString("\r\n");
            }
            stopRequested = !sink.command(new RespCommand(encoded, 0, encoded.length(), starts, lens));
        }
        return nl + 1;
    }

    /** The engine's sdssplitargs: spaces separate, "double" quotes with escapes, 'single' quotes. */
    static List<byte[]> splitArgs(byte[] line) throws RespProtocolException {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int n = line.length;
        while (true) {
            while (i < n && Character.isWhitespace(line[i])) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inDq = false;
            boolean inSq = false;
            boolean done = false;
            while (!done) {
                if (inDq) {
                    if (i >= n) {
                        throw new RespProtocolException("unbalanced quotes in request");
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        cur.write(Integer.parseInt(new String(line, i + 2, 2), 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        byte e = line[i];
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !Character.isWhitespace(line[i + 1])) {
                            throw new RespProtocolException("unbalanced quotes in request");
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (inSq) {
                    if (i >= n) {
                        throw new RespProtocolException("unbalanced quotes in request");
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        i++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !Character.isWhitespace(line[i + 1])) {
                            throw new RespProtocolException("unbalanced quotes in request");
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (i >= n) {
                        done = true;
                        break;
                    }
                    byte c = line[i];
                    if (Character.isWhitespace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inDq = true;
                    } else if (c == '\'') {
                        inSq = true;
                    } else {
                        cur.write(c);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isInlineStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '\t';
    }

    private static String describe(byte c) {
        return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xff);
    }

    /** Index of the '\r' of the first CRLF at or after {@code from}, or -1. */
    public static int findCrlf(Buffer b, int from, int len) {
        for (int i = from; i + 1 < len; i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The decimal in {@code b[from, to)} as the engine reads one ({@code string2ll}: no sign but '-',
     * no leading zero, no overflow), or Long.MIN_VALUE when it is not one.
     */
    public static long parseLong(Buffer b, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 20) {
            return Long.MIN_VALUE;
        }
        if (n == 1 && b.getByte(from) == '0') {
            return 0;
        }
        boolean neg = b.getByte(from) == '-';
        int i = neg ? from + 1 : from;
        if (i >= to || b.getByte(i) < '1' || b.getByte(i) > '9') {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b.getByte(i) - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }
}
