package dev.kvsim;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that writes commands as fast as it can and never reads a reply: it sends {@code first},
 * then {@code unit} repeated until {@code total} bytes went out, on a thread of its own (its writes
 * block once the server stops reading it). Closing it closes the connection.
 */
public final class Flood implements AutoCloseable {

    private final Socket socket = new Socket();
    private final AtomicLong sent = new AtomicLong();
    private final Thread writer;
    private final long total;
    private volatile boolean finished;

    public Flood(int port, byte[] first, byte[] unit, long total) throws IOException {
        this.total = total;
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = socket.getOutputStream();
        byte[] chunk = repeat(unit, 64 * 1024);
        writer = new Thread(() -> {
            try {
                out.write(first);
                while (sent.get() < total) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
                out.flush();
            } catch (IOException e) {
                // closed by the test (or by the server)
            } finally {
                finished = true;
            }
        }, "flood-" + port);
        writer.setDaemon(true);
        writer.start();
    }

    /** {@code unit} repeated to about {@code size} bytes, whole units only. */
    public static byte[] repeat(byte[] unit, int size) {
        int n = Math.max(1, size / unit.length);
        byte[] out = new byte[n * unit.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }

    /**
     * Waits until everything was sent, or nothing more went out for {@code quietMs} (the server
     * stopped reading); at most 60 s. Returns the bytes sent.
     */
    public long awaitSentOrStalled(long quietMs) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long last = -1;
        long since = System.nanoTime();
        while (!finished && System.nanoTime() < deadline) {
            long now = sent.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > quietMs * 1_000_000L) {
                break;
            }
            Instances.sleep(20);
        }
        return sent.get();
    }

    public boolean sentAll() {
        return sent.get() >= total;
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        writer.join(10_000);
    }
}
