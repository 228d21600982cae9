package dev.kvsim.engine;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Walks the records of an incremental AOF file: commands ({@code *N} and N bulk strings) and annotations
 * ({@code #TS:<unix seconds>}, written before the first command of each second when {@code aof-timestamp-enabled}
 * is on). Reads only the framing; what a command does is the engine's business.
 */
public final class AofRecords {

    private AofRecords() {
    }

    /**
     * What a walk found.
     *
     * @param completeEnd  the offset just after the last complete record (a file being written may end mid-record)
     * @param firstIsStamp whether the first record is a timestamp annotation
     * @param firstStamp   the first annotation's seconds, or -1 when there is none
     * @param lastStamp    the last annotation's seconds, or -1
     */
    public record Scan(long completeEnd, boolean firstIsStamp, long firstStamp, long lastStamp) {
    }

    /** Walks the records in {@code [from, to)}; {@code from} must be a record boundary. */
    public static Scan scan(Path file, long from, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(from);
            Reader r = new Reader(new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024), from, to);
            long end = from;
            boolean first = true;
            boolean firstIsStamp = false;
            long firstStamp = -1;
            long lastStamp = -1;
            while (true) {
                int b = r.peek();
                if (b < 0) {
                    break;
                }
                long stamp = -1;
                if (b == '#') {
                    String line = r.line();
                    if (line == null) {
                        break;
                    }
                    if (line.startsWith("#TS:")) {
                        stamp = Long.parseLong(line.substring(4).trim());
                    }
                } else if (b == '*') {
                    if (!r.command()) {
                        break;
                    }
                } else {
                    break;  // not a record: what follows is not the engine's
                }
                if (first) {
                    firstIsStamp = stamp >= 0;
                    first = false;
                }
                if (stamp >= 0) {
                    firstStamp = firstStamp < 0 ? stamp : firstStamp;
                    lastStamp = stamp;
                }
                end = r.position;
            }
            return new Scan(end, firstIsStamp, firstStamp, lastStamp);
        }
    }

    /** A bounded reader that knows its file offset. */
    private static final class Reader {
        private final InputStream in;
        private final long limit;
        long position;

        Reader(InputStream in, long position, long limit) {
            this.in = in;
            this.position = position;
            this.limit = limit;
        }

        int peek() throws IOException {
            if (position >= limit) {
                return -1;
            }
            in.mark(1);
            int b = in.read();
            in.reset();
            return b;
        }

        /** A line without CRLF, or null when the file (or the limit) ends first. */
        String line() throws IOException {
            StringBuilder s = new StringBuilder();
            while (position < limit) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                position++;
                if (b == '\n') {
                    int len = s.length() > 0 && s.charAt(s.length() - 1) == '\r' ? s.length() - 1 : s.length();
                    return s.substring(0, len);
                }
                if (s.length() > 64) {
                    throw new IOException("malformed AOF record at offset " + position);
                }
                s.append((char) b);
            }
            return null;
        }

        /** One {@code *N} command; false when it is incomplete. */
        boolean command() throws IOException {
            String count = line();
            if (count == null) {
                return false;
            }
            int n = Integer.parseInt(count.substring(1));
            for (int i = 0; i < n; i++) {
                String len = line();
                if (len == null) {
                    return false;
                }
                if (!len.startsWith("$")) {
                    throw new IOException("malformed AOF command at offset " + position);
                }
                long skip = Long.parseLong(len.substring(1)) + 2;
                if (position + skip > limit) {
                    return false;
                }
                long left = skip;
                while (left > 0) {
                    long k = in.skip(left);
                    if (k <= 0) {
                        if (in.read() < 0) {
                            return false;
                        }
                        k = 1;
                    }
                    left -= k;
                }
                position += skip;
            }
            return true;
        }
    }
}
