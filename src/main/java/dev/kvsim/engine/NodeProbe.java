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
        int ms = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), ms);
            socket.setSoTimeout(ms);
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$4\r\nAUTH\r\n$" + password.length() + "\r\n" + password + "\r\n"
                    + "*2\r\n$4\r\nINFO\r\n$11\r\nreplication\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String auth = line(in);
            if (!auth.equals("+OK")) {
                throw new IOException("AUTH answered " + auth);
            }
            String header = line(in);
            if (header.startsWith("-BUSY")) {
                throw new BusyException(header.substring(1));
            }
            if (!header.startsWith("$")) {
                throw new IOException("INFO answered " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
            Map<String, String> fields = new HashMap<>();
            for (String l : new String(body, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = l.indexOf(':');
                if (colon > 0 && !l.startsWith("#")) {
                    fields.put(l.substring(0, colon), l.substring(colon + 1));
                }
            }
            return fields;
        }
    }

    /**
     * SCRIPT KILL, or FUNCTION KILL for a function, on a node busy running it (the engine still
     * answers AUTH and these while busy).
     *
     * @return the engine's reply line: {@code +OK}, {@code -UNKILLABLE …} (the script wrote), {@code -NOTBUSY …}
     */
    public static String killScript(int port, String password, Duration timeout, boolean function) throws IOException {
        int ms = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), ms);
            socket.setSoTimeout(ms);
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$4\r\nAUTH\r\n$" + password.length() + "\r\n" + password + "\r\n"
                    + "*2\r\n$" + (function ? 8 : 6) + "\r\n" + (function ? "FUNCTION" : "SCRIPT") + "\r\n$4\r\nKILL\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String auth = line(in);
            if (!auth.equals("+OK")) {
                throw new IOException("AUTH answered " + auth);
            }
            return line(in);
        }
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
