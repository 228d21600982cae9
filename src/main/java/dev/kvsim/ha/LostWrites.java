package dev.kvsim.ha;

import dev.kvsim.engine.NodeProbe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a switch to a replica loses, read from the old master itself while its writes are held
 * (so that its offset stands still): the part of its replication stream after the replica's
 * offset. kvsim asks the master for that part as a replica would ({@code PSYNC <replid>
 * <offset+1>}, served from its backlog) and counts the writes in it: each is a write the master
 * acknowledged (unless its client's connection dropped first) that the new master lacks. A
 * transaction or a script counts once, as its client got one reply; the master's pings, SELECTs
 * and REPLCONFs are no writes.
 */
final class LostWrites {

    /** The old master's offset, the bytes of its stream the replica lacks, and the writes in them (null: unknown). */
    record Lost(long masterOffset, long bytes, Long writes) {
    }

    /** More than the default 1 MB backlog ever holds: a bound on what kvsim reads. */
    private static final long MAX_BYTES = 64L << 20;
    private static final Set<String> NOT_WRITES = Set.of("ping", "select", "replconf");

    private LostWrites() {
    }

    /**
     * @param replicaOffset the promoted replica's offset: what it had received when it stopped following
     * @throws IOException when the old master does not answer
     */
    static Lost measure(int masterPort, String password, long replicaOffset, Duration timeout) throws IOException {
        int ms = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", masterPort), ms);
            socket.setSoTimeout(ms);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(command("AUTH", password));
            out.write(command("INFO", "replication"));
            out.flush();
            expect(in, "+OK");
            Map<String, String> info = NodeProbe.fields(NodeProbe.bulk(in));
            long masterOffset = Long.parseLong(info.get("master_repl_offset").trim());
            long bytes = Math.max(0, masterOffset - replicaOffset);
            if (bytes == 0) {
                return new Lost(masterOffset, 0, 0L);
            }
            long first = Long.parseLong(info.getOrDefault("repl_backlog_first_byte_offset", "0").trim());
            boolean inBacklog = "1".equals(info.get("repl_backlog_active")) && replicaOffset + 1 >= first;
            if (!inBacklog || bytes > MAX_BYTES) {
                return new Lost(masterOffset, bytes, null);  // the stream is gone from the backlog: bytes known, writes not
            }
            out.write(command("PSYNC", info.get("master_replid").trim(), Long.toString(replicaOffset + 1)));
            out.flush();
            String answer = NodeProbe.line(in);
            if (!answer.startsWith("+CONTINUE")) {
                return new Lost(masterOffset, bytes, null);
            }
            return new Lost(masterOffset, bytes, countWrites(in, bytes));
        }
    }

    /** Counts the writes in the next {@code bytes} bytes of a replication stream (RESP arrays of bulk strings). */
    static long countWrites(InputStream in, long bytes) throws IOException {
        CountingStream stream = new CountingStream(in);
        long writes = 0;
        boolean inTransaction = false;
        while (stream.read < bytes) {
            String header = NodeProbe.line(stream);
            if (!header.startsWith("*")) {
                throw new IOException("unexpected replication stream: " + header);
            }
            int args = Integer.parseInt(header.substring(1));
            String name = null;
            for (int k = 0; k < args; k++) {
                String len = NodeProbe.line(stream);
                byte[] arg = stream.readNBytes(Integer.parseInt(len.substring(1)) + 2);
                if (k == 0) {
                    name = new String(arg, 0, arg.length - 2, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                }
            }
            if ("multi".equals(name)) {
                inTransaction = true;
            } else if ("exec".equals(name)) {
                inTransaction = false;
                writes++;
            } else if (!inTransaction && name != null && !NOT_WRITES.contains(name)) {
                writes++;
            }
        }
        return writes;
    }

    private static void expect(InputStream in, String reply) throws IOException {
        String line = NodeProbe.line(in);
        if (!line.equals(reply)) {
            throw new IOException("the node answered " + line);
        }
    }

    private static byte[] command(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Counts what is read, so that reading stops at the end of the lost part. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        long read;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                read++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
