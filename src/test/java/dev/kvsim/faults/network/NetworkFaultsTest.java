package dev.kvsim.faults.network;

import dev.kvsim.faults.FaultTypes;

import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.model.FaultTarget;
import dev.kvsim.faults.model.ProxyFaults;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.kvsim.faults.model.FaultSpec.DOWNSTREAM;
import static dev.kvsim.faults.network.EchoBench.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refuse helper, attribute validation and the type registry. */
class NetworkFaultsTest {

    @Test
    void refusesNewClientConnectionsOfItsTarget() {
        ProxyFaults faults = ProxyFaults.standalone();
        assertFalse(NetworkFaults.refuses(faults.current(), 0));
        faults.add(new RefuseConnectionsFault(spec(RefuseConnectionsFault.TYPE, DOWNSTREAM, Map.of())));
        assertTrue(NetworkFaults.refuses(faults.current(), 0));
        assertTrue(NetworkFaults.refuses(faults.current(), 3));

        ProxyFaults oneProxy = ProxyFaults.standalone();
        oneProxy.add(new RefuseConnectionsFault(new FaultSpec("f", "i", RefuseConnectionsFault.TYPE,
                new FaultTarget(null, null, 1), DOWNSTREAM, 1.0, Map.of(), null, null, null, 1)));
        assertFalse(NetworkFaults.refuses(oneProxy.current(), 0));
        assertTrue(NetworkFaults.refuses(oneProxy.current(), 1));

        ProxyFaults never = ProxyFaults.standalone();
        never.add(new RefuseConnectionsFault(spec(RefuseConnectionsFault.TYPE, DOWNSTREAM, 0.0, 1, Map.of())));
        assertFalse(NetworkFaults.refuses(never.current(), 0));
    }

    @Test
    void refuseConnectionsTargetsNoShard() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RefuseConnectionsFault(new FaultSpec("f", "i", RefuseConnectionsFault.TYPE,
                        new FaultTarget(0, null, null), DOWNSTREAM, 1.0, Map.of(), null, null, null, 1)));
        assertTrue(e.getMessage().contains("not a shard"), e.getMessage());
    }

    @Test
    void aRefusedConnectionIsReset() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EchoBench bench = new EchoBench(vertx)) {
            bench.roundTripMs("ping");
            bench.start(new RefuseConnectionsFault(spec(RefuseConnectionsFault.TYPE, DOWNSTREAM, Map.of())));
            try (Socket socket = bench.connect()) {
                SocketException e = assertThrows(SocketException.class, () -> socket.getInputStream().read());
                assertTrue(e.getMessage().contains("reset"), e.getMessage());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void badAttributesAreRefusedByName() {
        assertRefused("attributes.latencyMs must be a number between 0 and 600000; got -3",
                LatencyFault.TYPE, Map.of("latencyMs", -3));
        assertRefused("latency needs attributes.latencyMs, a number between 0 and 600000",
                LatencyFault.TYPE, Map.of("jitterMs", 5));
        assertRefused("attributes.jitterMs must be a whole number; got 1.5",
                LatencyFault.TYPE, Map.of("latencyMs", 10, "jitterMs", 1.5));
        assertRefused("attributes.rateKBps must be a number between 1 and 10485760; got 0",
                BandwidthFault.TYPE, Map.of("rateKBps", 0));
        assertRefused("attributes.timeoutMs must be a number between 0 and 3600000; got \"soon\"",
                TimeoutFault.TYPE, Map.of("timeoutMs", "soon"));
        assertRefused("attributes.timeoutMs must be a number between 0 and 3600000; got -1",
                ResetPeerFault.TYPE, Map.of("timeoutMs", -1));
        assertRefused("slow_close needs attributes.delayMs, a number between 0 and 600000",
                SlowCloseFault.TYPE, Map.of());
        assertRefused("attributes.averageSize must be a number between 1 and 1048576; got 0",
                SlicerFault.TYPE, Map.of("averageSize", 0));
        assertRefused("attributes.sizeVariation must be a number between 0 and 9; got 10",
                SlicerFault.TYPE, Map.of("averageSize", 10, "sizeVariation", 10));
        assertRefused("attributes.bytes must be a number between 0 and 1099511627776; got -1",
                LimitDataFault.TYPE, Map.of("bytes", -1));
    }

    private static void assertRefused(String message, String type, Map<String, Object> attributes) {
        FaultSpec spec = spec(type, DOWNSTREAM, attributes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultTypes.factory(type).orElseThrow().apply(spec));
        assertEquals(message, e.getMessage());
    }

    @Test
    void everyTypeHasAFactory() {
        assertEquals(List.of("latency", "bandwidth", "timeout", "reset_peer", "slow_close", "slicer", "limit_data",
                "refuse_connections", "error_reply", "delay", "kill_node", "pause_node", "break_replication", "kill_shard"),
                List.copyOf(FaultTypes.types()));
        assertInstanceOf(SlicerFault.class, FaultTypes.factory("slicer").orElseThrow()
                .apply(spec("slicer", DOWNSTREAM, Map.of("averageSize", 8, "sizeVariation", 2, "delayUs", 100))));
        assertTrue(FaultTypes.factory("jitter").isEmpty());
        assertTrue(FaultTypes.factory(null).isEmpty());
    }
}
