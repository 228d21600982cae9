package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

/**
 * Finds reply boundaries in the engine's RESP2/RESP3 output without decoding it, so that the
 * proxy can forward bytes as they come and still know which reply belongs to which command.
 * Top-level RESP3 push frames ({@code >}) are not replies and are not counted, unless the scanner
 * is made to split every frame; attributes ({@code |}) are part of the reply they annotate.
 * State survives across reads.
 */
public final class RespReplyScanner {

    private final boolean countPushes;

    /** A scanner that counts replies only. */
    public RespReplyScanner() {
        this(false);
    }

    /** @param countPushes true to count top-level push frames like replies (to split a stream into frames) */
    public RespReplyScanner(boolean countPushes) {
        this.countPushes = countPushes;
    }

    private int[] remaining = new int[16];
    private boolean[] attribute = new boolean[16];
    private int depth;

    private boolean inLine;
    private byte lineType;
    private boolean lineNegative;
    private long lineValue;
    private long bulkRemaining;

    private boolean topIsPush;
    private byte topType;
    private byte lastType;
    private int completed;

    /**
     * Scans from {@code from} until {@code limit} replies have completed or the data ends.
     *
     * @return the position just after the last byte consumed
     */
    public int scan(Buffer b, int from, int limit) {
        completed = 0;
        int len = b.length();
        int i = from;
        while (i < len) {
            if (bulkRemaining > 0) {
                long take = Math.min(bulkRemaining, len - i);
                i += (int) take;
                bulkRemaining -= take;
                if (bulkRemaining == 0 && elementDone() && completed >= limit) {
                    return i;
                }
                continue;
            }
            byte c = b.getByte(i++);
            if (!inLine) {
                inLine = true;
                lineType = c;
                lineNegative = false;
                lineValue = 0;
                if (depth == 0) {
                    topType = c;
                    topIsPush = c == '>';
                }
                continue;
            }
            if (c == '\n') {
                inLine = false;
                if (lineEnded() && completed >= limit) {
                    return i;
                }
            } else if (c == '-' && lineValue == 0) {
                lineNegative = true;
            } else if (c >= '0' && c <= '9') {
                lineValue = lineValue * 10 + (c - '0');
            }
        }
        return i;
    }

    /** Replies completed by the last {@link #scan} call. */
    public int completed() {
        return completed;
    }

    /** The type byte of the last completed reply, e.g. '-' for an error. */
    public byte lastType() {
        return lastType;
    }

    /** @return true when a top-level reply completed */
    private boolean lineEnded() {
        long n = lineNegative ? -1 : lineValue;
        switch (lineType) {
            case '$', '=', '!' -> {
                if (n < 0) {
                    return elementDone();
                }
                bulkRemaining = n + 2;
                return false;
            }
            case '*', '~', '>' -> {
                return n <= 0 ? elementDone() : push((int) n, false);
            }
            case '%' -> {
                return n <= 0 ? elementDone() : push((int) (2 * n), false);
            }
            case '|' -> {
                return n <= 0 ? false : push((int) (2 * n), true);
            }
            default -> {
                return elementDone();
            }
        }
    }

    private boolean push(int count, boolean isAttribute) {
        if (depth == remaining.length) {
            remaining = java.util.Arrays.copyOf(remaining, depth * 2);
            attribute = java.util.Arrays.copyOf(attribute, depth * 2);
        }
        remaining[depth] = count;
        attribute[depth] = isAttribute;
        depth++;
        return false;
    }

    /** One element finished; climbs out of finished aggregates. @return true when a reply completed */
    private boolean elementDone() {
        while (depth > 0) {
            if (--remaining[depth - 1] > 0) {
                return false;
            }
            depth--;
            if (attribute[depth]) {
                return false;
            }
        }
        if (topIsPush && !countPushes) {
            return false;
        }
        lastType = topType;
        completed++;
        return true;
    }
}
