package dev.kvsim.limits;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over its bandwidth or QPS an instance slows down and never fails. Each test compares elapsed
 * times within one run (lower bounds, and ratios), so a slow machine cannot make it fail.
 */
@QuarkusTest
class ThrottlingTest {

    private static final int MB = 1024 * 1024;

    private static JsonPath create(Map<String, Object> overrides) {
        return Instances.create(Map.of("instanceClass", "redis.basic.micro.default", "overrides", overrides));
    }

    private static void setParameter(String id, String name, String value) {
        given().contentType(ContentType.JSON).body(Map.of(name, value))
                .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void overTheBandwidthWritesAndReadsSlowDownAndLoseNothing() {
        JsonPath i = create(Map.of("bandwidthMBps", 1));
        byte[] value = new byte[MB];
        for (int n = 0; n < value.length; n++) {
            value[n] = (byte) n;
        }
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"), 60_000)) {
            long burstStart = System.nanoTime();
            j.set("burst".getBytes(), java.util.Arrays.copyOf(value, MB / 2));  // within the one-second burst
            long burst = millisSince(burstStart);
            j.set("drain".getBytes(), value);  // spends the rest of the burst
            long start = System.nanoTime();
            for (int n = 0; n < 2; n++) {
                j.set(("k" + n).getBytes(), value);
            }
            assertArrayEquals(value, j.get("k1".getBytes()), "no byte lost or changed");
            long elapsed = millisSince(start);
            // 3 MB through a 1 MB/s cap (combined in + out): about 3 s; the burst is gone.
            assertTrue(elapsed >= 2_000, "3 MB at 1 MB/s took only " + elapsed + " ms");
            assertTrue(burst * 4 < elapsed / 3, "half a megabyte of burst took " + burst + " ms, "
                    + "a throttled megabyte " + elapsed / 3 + " ms");
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }

    @Test
    void aClusterInstanceIsThrottledAsAWhole() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                "overrides", Map.of("shardCount", 2, "bandwidthMBps", 1)));
        byte[] value = new byte[MB];
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"), 60_000)) {
            j.set("drain".getBytes(), value);
            long start = System.nanoTime();
            j.set("{a}k".getBytes(), value);
            j.set("{b}k".getBytes(), value);
            long elapsed = millisSince(start);
            assertTrue(elapsed >= 1_500, "2 MB at 1 MB/s over two shards took only " + elapsed + " ms");
            assertArrayEquals(value, j.get("{b}k".getBytes()));
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }

    @Test
    void perDirectionModeLetsInboundAndOutboundEachHaveTheCap() throws Exception {
        long combined = concurrentWriteAndRead("combined");
        long perDirection = concurrentWriteAndRead("per-direction");
        assertTrue(perDirection < combined * 0.75,
                "per-direction " + perDirection + " ms vs combined " + combined + " ms for the same traffic");
    }

    @Test
    void withoutTheParameterInboundAndOutboundShareTheCap() throws Exception {
        long unset = concurrentWriteAndRead(null);
        long perDirection = concurrentWriteAndRead("per-direction");
        // 4 MB through one 1 MB/s cap take about 4 s; 2 MB each way through two caps about 2 s.
        assertTrue(unset >= 3_000, "2 MB in and 2 MB out at 1 MB/s combined took only " + unset + " ms");
        assertTrue(perDirection < unset * 0.75,
                "per-direction " + perDirection + " ms vs the default " + unset + " ms for the same traffic");
    }

    /**
     * One client writes 2 MB while another reads 2 MB, after both directions' bursts are spent.
     *
     * @param mode {@code kvsim-bandwidth-mode}, or null to leave the parameter at its default
     */
    private long concurrentWriteAndRead(String mode) throws Exception {
        JsonPath i = create(Map.of("bandwidthMBps", 1));
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        byte[] value = new byte[MB];
        try (Jedis writer = new Jedis("127.0.0.1", port, 60_000); Jedis reader = new Jedis("127.0.0.1", port, 60_000)) {
            if (mode != null) {
                setParameter(id, "kvsim-bandwidth-mode", mode);
            }
            writer.set("v".getBytes(), value);
            reader.get("v".getBytes());
            long start = System.nanoTime();
            CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
                writer.set("a".getBytes(), value);
                writer.set("b".getBytes(), value);
            });
            reader.get("v".getBytes());
            reader.get("v".getBytes());
            w.get();
            return millisSince(start);
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void theQpsCapDelaysCommandsWhenSwitchedOn() throws Exception {
        JsonPath i = create(Map.of("qps", 500));
        String id = i.getString("instanceId");
        try (RawClient c = new RawClient(i.getInt("port"))) {
            long uncapped = pipelinedPings(c, 1500);
            setParameter(id, "kvsim-qps-limit", "yes");
            pipelinedPings(c, 500);  // spends the burst
            long capped = pipelinedPings(c, 1500);
            assertTrue(capped >= 2_000, "1,500 commands at 500/s took only " + capped + " ms");
            assertTrue(capped > uncapped * 3, "capped " + capped + " ms vs uncapped " + uncapped + " ms");
            setParameter(id, "kvsim-qps-limit", "no");
            c.command("PING");
            assertEquals("+PONG", c.line());
        } finally {
            Instances.delete(id);
        }
    }

    private static long pipelinedPings(RawClient c, int count) throws Exception {
        String[][] pings = new String[count][];
        java.util.Arrays.fill(pings, new String[] {"PING"});
        long start = System.nanoTime();
        c.pipeline(pings);
        for (int n = 0; n < count; n++) {
            assertEquals("+PONG", c.line());
        }
        return millisSince(start);
    }
}
