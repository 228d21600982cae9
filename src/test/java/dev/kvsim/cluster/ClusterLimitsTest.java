package dev.kvsim.cluster;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster instance's caps: client connections, each shard's backend connections, each shard's
 * memory; and the proxy's protocol default from kvsim's configuration.
 */
@QuarkusTest
@TestProfile(ShardCapTestProfile.class)
class ClusterLimitsTest {

    private static final String CLASS_2G_8_SHARDS = "redis.logic.sharding.2g.8db.0rodb.8proxy.default";
    private static final String MAX_CLIENTS = "-ERR max number of clients reached";

    private static JsonPath twoShards(Map<String, Object> more) {
        Map<String, Object> overrides = new java.util.HashMap<>(Map.of("shardCount", 2));
        overrides.putAll(more);
        return Instances.create(Map.of("instanceClass", CLASS_2G_8_SHARDS, "overrides", overrides));
    }

    private static String keyOnShard(int shard, String prefix) {
        for (int n = 0; ; n++) {
            if (SlotMap.even(2).shardOf(HashSlots.slot(prefix + n)) == shard) {
                return prefix + n;
            }
        }
    }

    /** Sends the command every 20 ms, for up to a second, until it is not refused with MAX_CLIENTS; its reply. */
    private static String firstUnrefused(RawClient c, String... command) throws Exception {
        String reply = MAX_CLIENTS;
        for (int attempt = 0; attempt < 50 && reply.equals(MAX_CLIENTS); attempt++) {
            Thread.sleep(20);
            c.command(command);
            reply = c.line();
        }
        return reply;
    }

    private static void closeAll(List<RawClient> clients) throws Exception {
        for (RawClient c : clients) {
            c.close();
        }
    }

    @Test
    void kvsimProxyResp3FalseGivesNewInstancesAProxyWithoutResp3() throws Exception {
        JsonPath i = twoShards(Map.of());
        String id = i.getString("instanceId");
        try (RawClient c = new RawClient(i.getInt("port"))) {
            Instances.given().get("/api/v1/instances/" + id + "/parameters").then().statusCode(200)
                    .body("find { it.name == 'proxy_resp3_enable' }.value", org.hamcrest.Matchers.equalTo("0"))
                    .body("find { it.name == 'proxy_resp3_enable' }.default", org.hamcrest.Matchers.equalTo("0"));
            c.command("HELLO", "3");
            assertEquals("-NOPROTO sorry, this protocol version is not supported", c.line());
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void theClientPastTheConnectionCapIsRefusedAndClosed() throws Exception {
        JsonPath i = twoShards(Map.of("maxConnections", 3));
        List<RawClient> open = new ArrayList<>();
        try {
            for (int n = 0; n < 3; n++) {
                RawClient c = new RawClient(i.getInt("port"));
                c.command("GET", "k" + n);
                assertEquals("$-1", c.line());
                open.add(c);
            }
            try (RawClient fourth = new RawClient(i.getInt("port"))) {
                assertEquals(MAX_CLIENTS, fourth.line());
                assertTrue(fourth.closedByServer());
            }
        } finally {
            closeAll(open);
            Instances.delete(i.getString("instanceId"));
        }
    }

    @Test
    void aCommandNeedingAFourthConnectionToAShardGetsTheEnginesRefusal() throws Exception {
        JsonPath i = twoShards(Map.of());
        int port = i.getInt("port");
        List<RawClient> blocked = new ArrayList<>();
        try {
            // Each blocked client holds its own connection to the shard of its key, shard 0: the cap is 3.
            String queue = keyOnShard(0, "q");
            for (int n = 0; n < 3; n++) {
                RawClient c = new RawClient(port);
                c.command("BLPOP", queue, "0");
                blocked.add(c);
            }
            Thread.sleep(200);  // the three are blocked on the engine
            try (RawClient late = new RawClient(port)) {
                late.command("BLPOP", queue, "0");
                assertEquals(MAX_CLIENTS, late.line());
                late.command("GET", keyOnShard(0, "k"));
                assertEquals(MAX_CLIENTS, late.line(), "the shared connection to shard 0 would be a fourth too");
                late.command("GET", keyOnShard(1, "k"));
                assertEquals("$-1", late.line(), "shard 1 has room");
                blocked.remove(0).close();
                // the proxy sees the blocked client's close a moment later
                assertEquals("$-1", firstUnrefused(late, "GET", keyOnShard(0, "k")),
                        "a connection slot of shard 0 freed when a blocked client left");
            }
        } finally {
            closeAll(blocked);
            Instances.delete(i.getString("instanceId"));
        }
    }

    @Test
    void aShardNodeThatIsFullIsReportedWithTheEnginesError() throws Exception {
        JsonPath i = twoShards(Map.of());
        int nodePort = i.getInt("nodes.find { it.role == 'master' && it.shard == 1 }.port");
        List<RawClient> fillers = new ArrayList<>();
        try (RawClient c = new RawClient(i.getInt("port"))) {
            // Fill shard 1's master up to its maxclients with connections that do not go through the proxy.
            for (boolean full = false; !full; ) {
                RawClient f = new RawClient(nodePort);
                f.command("PING");
                String reply = f.line();
                full = reply.equals(MAX_CLIENTS);
                if (full) {
                    f.close();
                } else {
                    assertEquals("-NOAUTH Authentication required.", reply);
                    fillers.add(f);
                }
                assertTrue(fillers.size() <= 3 + 32, "the node's maxclients is the per-shard cap + 32");
            }
            String key = keyOnShard(1, "k");
            c.command("SET", key, "v");
            assertEquals(MAX_CLIENTS, c.line(), "the shared connection to shard 1 was refused by the node");
            c.command("BLPOP", key + ":list", "0.01");
            assertEquals(MAX_CLIENTS, c.line(), "the client's own connection to shard 1 too");
            c.command("GET", keyOnShard(0, "k"));
            assertEquals("$-1", c.line(), "the client's session goes on");
            closeAll(fillers);
            fillers.clear();
            assertEquals("+OK", firstUnrefused(c, "SET", key, "v"), "once the node has room, a new connection is opened");
        } finally {
            closeAll(fillers);
            Instances.delete(i.getString("instanceId"));
        }
    }

    private static String iinfo(redis.clients.jedis.Jedis j, int shard, String section) {
        return new String((byte[]) j.sendCommand(() -> "IINFO".getBytes(), String.valueOf(shard), section));
    }

    @Test
    void eachShardGetsTheClassesShardMemoryBandwidthAndQpsWhateverTheShardCount() {
        JsonPath i = twoShards(Map.of());
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", i.getInt("port"))) {
            assertEquals(4096, i.getLong("limits.memoryMb"), "2 shards of the class's 2 GB");
            assertEquals(96, i.getInt("limits.bandwidthMBps"), "2 shards of the class's 384 MB/s over 8");
            assertEquals(160000, i.getInt("limits.qps"), "2 shards of the class's 640,000 over 8");
            assertEquals(80000, i.getInt("limits.maxConnections"), "the class's proxies stay");
            assertEquals(Map.of("maxmemory", String.valueOf(2048L << 20)), j.configGet("maxmemory"));
            for (int shard = 0; shard < 2; shard++) {
                assertTrue(iinfo(j, shard, "memory").contains("\r\nmaxmemory:" + (2048L << 20) + "\r\n"), "shard " + shard);
            }
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }

    @Test
    void overridesMemoryMbIsTheWholeClustersSplitAmongItsShards() {
        JsonPath i = twoShards(Map.of("memoryMb", 64));
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", i.getInt("port"))) {
            assertEquals(64, i.getLong("limits.memoryMb"));
            assertEquals(Map.of("maxmemory", String.valueOf(32L << 20)), j.configGet("maxmemory"));
            for (int shard = 0; shard < 2; shard++) {
                assertTrue(iinfo(j, shard, "memory").contains("\r\nmaxmemory:" + (32L << 20) + "\r\n"), "shard " + shard);
            }
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }
}
