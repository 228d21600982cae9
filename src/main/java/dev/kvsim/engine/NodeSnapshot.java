package dev.kvsim.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * An RDB snapshot of a node, read over the replication protocol as {@code redis-cli --rdb} does: {@code REPLCONF
 * capa eof} and {@code rdb-only} (7.0; refused by older engines, which is harmless), then {@code SYNC}; the node
 * forks and streams its dataset. With diskless replication (kvsim's nodes run {@code repl-diskless-sync yes}) the
 * node writes nothing to its own directory. No client library reads a replication stream, hence this small reader.
 */
public final class NodeSnapshot {

    /** The end marker of a diskless transfer: {@code $EOF:<40 bytes>}. */
    private static final int EOF_MARK = 40;
    private static final int CHUNK = 64 * 1024;

    /** What the written bytes may not exceed: the backup storage's free room. */
    @FunctionalInterface
    public interface Budget {
        /** @throws java.io.IOException (usually {@link FullException}) to stop the transfer */
        void reserve(long bytes) throws IOException;
    }

    /** The storage cap was reached: the snapshot is incomplete. */
    public static final class FullException extends IOException {
        public FullException(String message) {
            super(message);
        }
    }

    private NodeSnapshot() {
    }

    /**
     * Streams the node's dataset as an RDB file into {@code out}.
     *
     * @param readTimeout how long the node may stay silent (it sends a newline every second while it forks)
     * @return the number of bytes written
     * @throws IOException the node refused, closed the connection, or {@code budget} stopped the transfer
     */
    public static long read(int port, String password, Duration readTimeout, OutputStream out, Budget budget)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream(), CHUNK);
            OutputStream cmd = socket.getOutputStream();
            send(cmd, "AUTH", password);
            expectOk(in, "AUTH");
            send(cmd, "REPLCONF", "capa", "eof");
            readLine(in);
            send(cmd, "REPLCONF", "rdb-only", "1");
            readLine(in);  // -ERR on engines before 7.0: they stream the RDB all the same
            send(cmd, "SYNC");
            String header = payloadHeader(in);
            long written = header.startsWith("EOF:") ? copyUntilMark(in, out, header.substring(4).getBytes(StandardCharsets.ISO_8859_1), budget)
                    : copyExactly(in, out, Long.parseLong(header), budget);
            out.flush();
            return written;
        }
    }

    /** Skips the newlines the node sends while it prepares the RDB; the payload's {@code $…} line. */
    private static String payloadHeader(InputStream in) throws IOException {
        while (true) {
            String line = readLine(in);
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("-")) {
                throw new IOException("the node refused SYNC: " + line.substring(1));
            }
            if (!line.startsWith("$")) {
                throw new IOException("unexpected reply to SYNC: " + line);
            }
            return line.substring(1);
        }
    }

    private static long copyExactly(InputStream in, OutputStream out, long length, Budget budget) throws IOException {
        byte[] buf = new byte[CHUNK];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("the node closed the connection with " + left + " bytes of the RDB left");
            }
            budget.reserve(n);
            out.write(buf, 0, n);
            left -= n;
        }
        return length;
    }

    /** Writes everything before the 40-byte mark that ends the stream. */
    private static long copyUntilMark(InputStream in, OutputStream out, byte[] mark, Budget budget) throws IOException {
        if (mark.length != EOF_MARK) {
            throw new IOException("malformed end marker in the SYNC reply");
        }
        byte[] buf = new byte[CHUNK];
        byte[] held = new byte[0];  // the last bytes seen, which may be the mark
        long written = 0;
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the node closed the connection before the end of the RDB");
            }
            byte[] all = new byte[held.length + n];
            System.arraycopy(held, 0, all, 0, held.length);
            System.arraycopy(buf, 0, all, held.length, n);
            if (all.length >= EOF_MARK && Arrays.equals(all, all.length - EOF_MARK, all.length, mark, 0, EOF_MARK)) {
                int data = all.length - EOF_MARK;
                budget.reserve(data);
                out.write(all, 0, data);
                return written + data;
            }
            int keep = Math.min(EOF_MARK, all.length);
            int data = all.length - keep;
            budget.reserve(data);
            out.write(all, 0, data);
            written += data;
            held = Arrays.copyOfRange(all, data, all.length);
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void expectOk(InputStream in, String what) throws IOException {
        String line = readLine(in);
        if (!line.startsWith("+")) {
            throw new IOException(what + " refused: " + line);
        }
    }

    /** One line without its CRLF (a bare LF ends a keepalive line). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the node closed the connection");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() > 1024) {
                throw new IOException("the node's reply line is too long");
            }
            line.write(b);
        }
    }
}
