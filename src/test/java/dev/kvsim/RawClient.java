package dev.kvsim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare socket for tests that must send exact bytes (malformed RESP, raw pipelines) and read the
 * exact reply lines. Replies are read as raw RESP text lines.
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        this(port, null);
    }

    /** @param bindAddress a local address to connect from (e.g. 127.0.0.2), or null */
    public RawClient(int port, String bindAddress) throws IOException {
        socket = new Socket();
        if (bindAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawClient send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Sends one command as a RESP array of bulk strings. */
    public RawClient command(String... args) throws IOException {
        return pipeline(new String[][] {args});
    }

    /** Sends several commands in one write, so that they reach the server together. */
    public RawClient pipeline(String[]... commands) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String[] args : commands) {
            sb.append('*').append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** One reply line without its CRLF, e.g. "+OK", "-ERR ...", ":1", "$3". */
    public String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                int n = in.read();
                if (n == '\n') {
                    return b.toString(StandardCharsets.UTF_8);
                }
                b.write(c);
                c = n;
            }
            b.write(c);
        }
        throw new IOException("connection closed" + (b.size() > 0 ? " after '" + b.toString(StandardCharsets.UTF_8) + "'" : ""));
    }

    /** A simple reply or the value of a bulk reply ("$-1" gives null). */
    public String reply() throws IOException {
        String l = line();
        if (l.startsWith("$")) {
            int len = Integer.parseInt(l.substring(1));
            return len < 0 ? null : line();
        }
        return l;
    }

    /**
     * True when the server has closed the connection: EOF or a reset within a few seconds. A timeout
     * (the connection is still open) or unread data answers false, so the assertion can fail.
     */
    public boolean closedByServer() throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(3_000);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Connection reset")) {
                return true;
            }
            throw e;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    /**
     * Whether the server refuses a new connection: the connect itself is reset, or the connection
     * closes before anything is read. A reply, or an open connection after 3 s, answers false.
     */
    public static boolean refusedAt(int port) throws IOException {
        RawClient c;
        try {
            c = new RawClient(port);
        } catch (SocketException e) {
            return true;  // reset while connecting: the server closed it at once
        }
        try (c) {
            return c.closedByServer();
        }
    }

    /**
     * Reads whatever the server still sends, in bulk, until it closes the connection (true: EOF or a
     * reset), or until the connection stays open for {@code ms} (false).
     */
    public boolean drainedToClose(long ms) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) ms);
        byte[] buf = new byte[64 * 1024];
        long deadline = System.nanoTime() + ms * 1_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return String.valueOf(e.getMessage()).contains("Connection reset");
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    /** The connection's local port: unchanged while the server keeps the connection. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Whether the connection is still open from this side. */
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
