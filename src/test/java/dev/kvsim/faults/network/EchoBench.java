package dev.kvsim.faults.network;

import dev.kvsim.faults.model.Fault;
import dev.kvsim.faults.model.FaultScope;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.model.FaultTarget;
import dev.kvsim.faults.model.NodeControl;
import dev.kvsim.faults.model.ProxyFaults;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An echo server standing in for the proxy: each accepted connection is a client link of proxy 0
 * with the fault handler on it, refused as the proxy would when a refuse_connections fault says so.
 * It closes the connection on {@code CLOSE}, and on {@code FLOOD} writes 8 MiB and reports whether
 * the socket then says its write queue is full.
 */
final class EchoBench implements AutoCloseable {

    final ProxyFaults faults = ProxyFaults.standalone();
    final FaultScope scope = new FaultScope() {
        @Override
        public ProxyFaults proxy() {
            return faults;
        }

        @Override
        public NodeControl nodes() {
            throw new UnsupportedOperationException();
        }
    };
    final CompletableFuture<Boolean> floodQueueFull = new CompletableFuture<>();
    private final NetServer server;
    private final int port;

    EchoBench(Vertx vertx) throws Exception {
        server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
        server.connectHandler(this::accept);
        port = server.listen().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
    }

    private void accept(NetSocket socket) {
        if (NetworkFaults.refuses(faults.current(), 0)) {
            NetworkFaults.reset(socket);
            return;
        }
        NetworkFaultHandler.install(socket, Link.client(0), faults);
        socket.handler(data -> {
            String text = data.toString();
            if (text.startsWith("CLOSE")) {
                socket.close();
            } else if (text.startsWith("FLOOD")) {
                for (int i = 0; i < 128; i++) {
                    socket.write(Buffer.buffer(new byte[64 * 1024]));
                }
                floodQueueFull.complete(socket.writeQueueFull());
            } else {
                socket.write(data);
            }
        });
    }

    static FaultSpec spec(String type, String stream, double toxicity, long seed, Map<String, Object> attributes) {
        return new FaultSpec("f-" + type, "i-test", type, FaultTarget.INSTANCE, stream, toxicity, attributes,
                null, null, null, seed);
    }

    static FaultSpec spec(String type, String stream, Map<String, Object> attributes) {
        return spec(type, stream, 1.0, 42, attributes);
    }

    <F extends Fault> F start(F fault) {
        fault.start(scope);
        return fault;
    }

    Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5000);
        return socket;
    }

    static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Exactly {@code n} bytes; fails at end of stream. */
    static String read(Socket socket, int n) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("end of stream after " + bytes.length + " of " + n + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Everything up to the end of the stream. */
    static String readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A round trip on a fresh connection, in milliseconds. */
    long roundTripMs(String text) throws IOException {
        try (Socket socket = connect()) {
            return roundTripMs(socket, text);
        }
    }

    static long roundTripMs(Socket socket, String text) throws IOException {
        long start = System.nanoTime();
        send(socket, text);
        String echoed = read(socket, text.length());
        if (!echoed.equals(text)) {
            throw new IOException("echoed " + echoed + " for " + text);
        }
        return sinceMs(start);
    }

    static long sinceMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
