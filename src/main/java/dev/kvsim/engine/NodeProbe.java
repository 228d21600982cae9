package dev.kvsim.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One health check of a node: a fresh connection, AUTH and {@code INFO replication}, all within a
 * deadline. Plain blocking sockets on purpose: a hung (SIGSTOPped) node must cost the checker a
 * timeout, never an event-loop thread.
 */
public final class NodeProbe {

    private NodeProbe() {
    }

    /**
     * @return the fields of INFO replication ({@code role}, {@code master_repl_offset}, …)
     * @throws IOException when the node does not answer within {@code timeout} or refuses
     */
    public static Map<String, String> replicationInfo(int port, String password, Duration timeout) throws IOException {
        return afterLogin(port, password, timeout, List.of("INFO", "replication"), in -> {
            String header = line(in);
            if (header.startsWith("-BUSY")) {
                throw new BusyException(header.substring(1));
            }
            return fields(bulkAfter(header, in));
        });
    }

    /** Reads one bulk string reply (an INFO answer) from a blocking stream. */
    public static String bulk(InputStream in) throws IOException {
        return bulkAfter(line(in), in);
    }

    private static String bulkAfter(String header, InputStream in) throws IOException {
        if (!header.startsWith("$")) {
            throw new IOException("the node answered " + header);
        }
        byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)) + 2);
        return new String(body, 0, Math.max(0, body.length - 2), StandardCharsets.UTF_8);
    }

    /** The {@code name:value} fields of an INFO answer. */
    public static Map<String, String> fields(String info) {
        Map<String, String> fields = new HashMap<>();
        for (String l : info.split("\r\n")) {
            int colon = l.indexOf(':');
            if (colon > 0 && !l.startsWith("#")) {
                fields.put(l.substring(0, colon), l.substring(colon + 1));
            }
        }
        return fields;
    }

    /**
     * SCRIPT KILL, or FUNCTION KILL for a function, on a node busy running it (the engine still
     * answers AUTH and these while busy).
     *
     * @return the engine's reply line: {@code +OK}, {@code -UNKILLABLE …} (the script wrote), {@code -NOTBUSY …}
     */
    public static String killScript(int port, String password, Duration timeout, boolean function) throws IOException {
        return afterLogin(port, password, timeout, List.of(function ? "FUNCTION" : "SCRIPT", "KILL"), NodeProbe::line);
    }

    /** What {@link #afterLogin} reads from the node once its AUTH answered +OK. */
    private interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    /** On a fresh connection, within {@code timeout}: AUTH, then one command, whose reply {@code reader} reads. */
    private static <T> T afterLogin(int port, String password, Duration timeout, List<String> command, Reader<T> reader)
            throws IOException {
        int ms = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), ms);
            socket.setSoTimeout(ms);
            OutputStream out = socket.getOutputStream();
            out.write((encode(List.of("AUTH", password)) + encode(command)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String auth = line(in);
            if (!auth.equals("+OK")) {
                throw new IOException("AUTH answered " + auth);
            }
            return reader.read(in);
        }
    }

    private static String encode(List<String> args) {
        StringBuilder b = new StringBuilder("*").append(args.size()).append("\r\n");
        args.forEach(a -> b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n"));
        return b.toString();
    }

    /** The node answered {@code -BUSY}: it is alive, running a script (or a module command) past the engine's limit. */
    public static final class BusyException extends IOException {
        BusyException(String engineError) {
            super(engineError);
        }

        /** Whether the script is a function (the engine names FUNCTION KILL), else an EVAL script or a module command. */
        public boolean function() {
            return getMessage().contains("FUNCTION KILL");
        }

        /** Whether SCRIPT KILL or FUNCTION KILL applies (not to a busy module command). */
        public boolean script() {
            return getMessage().contains(" KILL ");
        }
    }

    /** Reads one RESP line (without its CRLF) from a blocking stream. */
    public static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the node closed the connection");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The replication offset a node has: the master's own, or what a replica has received. */
    public static long offset(Map<String, String> info) {
        String v = "master".equals(info.get("role")) ? info.get("master_repl_offset")
                : info.getOrDefault("slave_repl_offset", info.get("master_repl_offset"));
        return v == null ? -1 : Long.parseLong(v.trim());
    }
}
