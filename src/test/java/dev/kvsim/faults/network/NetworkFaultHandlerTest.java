package dev.kvsim.faults.network;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.kvsim.faults.model.FaultSpec.DOWNSTREAM;
import static dev.kvsim.faults.model.FaultSpec.UPSTREAM;
import static dev.kvsim.faults.network.EchoBench.read;
import static dev.kvsim.faults.network.EchoBench.readToEnd;
import static dev.kvsim.faults.network.EchoBench.roundTripMs;
import static dev.kvsim.faults.network.EchoBench.send;
import static dev.kvsim.faults.network.EchoBench.sinceMs;
import static dev.kvsim.faults.network.EchoBench.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each network fault type on real connections: an echo server with the handler on its accepted sockets. */
class NetworkFaultHandlerTest {

    private static Vertx vertx;
    private EchoBench bench;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startBench() throws Exception {
        bench = new EchoBench(vertx);
        bench.roundTripMs("warm-up"); // the first connection of a cold JVM is slow
    }

    @AfterEach
    void closeBench() throws Exception {
        bench.close();
    }

    @Test
    void latencyDelaysTheRoundTrip() throws Exception {
        bench.start(new LatencyFault(spec(LatencyFault.TYPE, DOWNSTREAM, Map.of("latencyMs", 200))));
        long ms = bench.roundTripMs("ping");
        assertTrue(ms >= 200 && ms < 1500, "round trip " + ms + " ms");
    }

    @Test
    void latencyWithJitterKeepsPipelinedChunksInOrder() throws Exception {
        bench.start(new LatencyFault(spec(LatencyFault.TYPE, UPSTREAM, Map.of("latencyMs", 100, "jitterMs", 90))));
        StringBuilder expected = new StringBuilder();
        try (Socket socket = bench.connect()) {
            long start = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                String piece = i + ";";
                expected.append(piece);
                send(socket, piece);
                Thread.sleep(2);
            }
            assertEquals(expected.toString(), read(socket, expected.length()));
            assertTrue(sinceMs(start) >= 10, "at least the minimum latency");
        }
    }

    @Test
    void bandwidthLimitsThroughput() throws Exception {
        bench.start(new BandwidthFault(spec(BandwidthFault.TYPE, DOWNSTREAM, Map.of("rateKBps", 64))));
        String payload = "x".repeat(48 * 1024);
        try (Socket socket = bench.connect()) {
            long start = System.nanoTime();
            send(socket, payload);
            assertEquals(payload, read(socket, payload.length()));
            long ms = sinceMs(start);
            // 48 KiB at 64 KiB/s: 750 ms
            assertTrue(ms >= 650 && ms < 2500, "took " + ms + " ms");
        }
    }

    @Test
    void bandwidthHeldBackBytesMakeTheSocketUnwritable() throws Exception {
        bench.start(new BandwidthFault(spec(BandwidthFault.TYPE, DOWNSTREAM, Map.of("rateKBps", 1))));
        try (Socket socket = bench.connect()) {
            send(socket, "FLOOD");
            assertTrue(bench.floodQueueFull.get(5, TimeUnit.SECONDS), "8 MiB held back fills the write queue");
        }
    }

    @Test
    void timeoutDropsDataThenCloses() throws Exception {
        bench.start(new TimeoutFault(spec(TimeoutFault.TYPE, UPSTREAM, Map.of("timeoutMs", 300))));
        try (Socket socket = bench.connect()) {
            long start = System.nanoTime();
            send(socket, "hello");
            assertEquals("", readToEnd(socket), "nothing echoed, then the close");
            long ms = sinceMs(start);
            assertTrue(ms >= 280 && ms < 2000, "closed after " + ms + " ms");
        }
    }

    @Test
    void resetPeerResetsAfterItsTimeout() throws Exception {
        bench.start(new ResetPeerFault(spec(ResetPeerFault.TYPE, DOWNSTREAM, Map.of("timeoutMs", 200))));
        try (Socket socket = bench.connect()) {
            long start = System.nanoTime();
            roundTripMs(socket, "ping");
            SocketException e = assertThrows(SocketException.class, () -> socket.getInputStream().read());
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
            assertTrue(sinceMs(start) >= 190, "reset after " + sinceMs(start) + " ms");
        }
    }

    @Test
    void resetPeerReachesIdleConnections() throws Exception {
        try (Socket socket = bench.connect()) {
            roundTripMs(socket, "ping");
            bench.start(new ResetPeerFault(spec(ResetPeerFault.TYPE, UPSTREAM, Map.of())));
            SocketException e = assertThrows(SocketException.class, () -> socket.getInputStream().read());
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }

    @Test
    void slowCloseDelaysTheProxysClose() throws Exception {
        bench.start(new SlowCloseFault(spec(SlowCloseFault.TYPE, DOWNSTREAM, Map.of("delayMs", 400))));
        try (Socket socket = bench.connect()) {
            roundTripMs(socket, "ping");
            long start = System.nanoTime();
            send(socket, "CLOSE");
            assertEquals("", readToEnd(socket));
            long ms = sinceMs(start);
            assertTrue(ms >= 390 && ms < 2000, "closed after " + ms + " ms");
        }
    }

    @Test
    void slicerDeliversEveryByteInSeveralReads() throws Exception {
        bench.start(new SlicerFault(spec(SlicerFault.TYPE, DOWNSTREAM,
                Map.of("averageSize", 10, "sizeVariation", 4, "delayUs", 20_000))));
        String payload = "0123456789".repeat(10);
        try (Socket socket = bench.connect()) {
            send(socket, payload);
            StringBuilder got = new StringBuilder();
            int reads = 0;
            byte[] buffer = new byte[1024];
            while (got.length() < payload.length()) {
                int n = socket.getInputStream().read(buffer);
                assertTrue(n > 0, "end of stream after " + got.length() + " bytes");
                got.append(new String(buffer, 0, n));
                reads++;
            }
            assertEquals(payload, got.toString());
            assertTrue(reads >= 4, "only " + reads + " reads");
        }
    }

    @Test
    void limitDataPassesExactlyThatManyBytesThenCloses() throws Exception {
        bench.start(new LimitDataFault(spec(LimitDataFault.TYPE, DOWNSTREAM, Map.of("bytes", 10))));
        try (Socket socket = bench.connect()) {
            send(socket, "abcdefghijklmnopqrstuvwxy");
            assertEquals("abcdefghij", readToEnd(socket));
        }
    }

    @Test
    void toxicityZeroHasNoEffect() throws Exception {
        bench.start(new LatencyFault(spec(LatencyFault.TYPE, DOWNSTREAM, 0.0, 42, Map.of("latencyMs", 1000))));
        long ms = bench.roundTripMs("ping");
        assertTrue(ms < 1000, "round trip " + ms + " ms");
    }

    @Test
    void aFixedSeedDrawsTheSameConnections() throws Exception {
        List<Boolean> first = affectedConnections();
        List<Boolean> second = affectedConnections();
        assertEquals(first, second);
        assertTrue(first.contains(true) && first.contains(false), "toxicity 0.5 picks some: " + first);
    }

    /** For 6 connections in turn, whether a latency fault of toxicity 0.5 (seed 7) delayed them. */
    private List<Boolean> affectedConnections() throws Exception {
        LatencyFault fault = bench.start(new LatencyFault(
                spec(LatencyFault.TYPE, DOWNSTREAM, 0.5, 7, Map.of("latencyMs", 200))));
        List<Boolean> affected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            affected.add(bench.roundTripMs("ping") >= 200);
        }
        fault.stop(bench.scope);
        return affected;
    }

    @Test
    void removingAFaultRestoresPassThroughAfterWhatItHolds() throws Exception {
        LatencyFault fault = bench.start(new LatencyFault(spec(LatencyFault.TYPE, DOWNSTREAM, Map.of("latencyMs", 500))));
        try (Socket socket = bench.connect()) {
            long start = System.nanoTime();
            send(socket, "one");
            Thread.sleep(50);
            fault.stop(bench.scope);
            send(socket, "two");
            assertEquals("onetwo", read(socket, 6), "what the fault held goes first");
            assertTrue(sinceMs(start) >= 500, "the held bytes kept their delay");
            long ms = roundTripMs(socket, "three");
            assertTrue(ms < 500, "round trip after removal " + ms + " ms");
        }
    }
}
