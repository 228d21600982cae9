package dev.kvsim.cluster;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster instance: shards behind one endpoint, keys routed by slot, multi-key commands split and merged. */
@QuarkusTest
class ClusterRoutingTest extends ClusterInstanceTest {

    ClusterRoutingTest() {
        super(3);
    }

    @Test
    void eachShardIsADualReplicaPairAndKeysSpreadOverThem() {
        assertEquals("cluster", created.getString("architecture"));
        given().get("/api/v1/instances/" + id).then().statusCode(200)
                .body("nodes", hasSize(6))
                .body("nodes.findAll { it.role == 'master' }.shard", equalTo(List.of(0, 1, 2)));
        try (Jedis j = jedis()) {
            for (int n = 0; n < 300; n++) {
                j.set("k" + n, "v" + n);
            }
            assertEquals(300, j.dbSize(), "DBSIZE sums the shards");
            assertEquals(300, j.keys("*").size(), "KEYS gathers every shard");
            for (int s = 0; s < 3; s++) {
                String info = new String((byte[]) j.sendCommand(() -> "IINFO".getBytes(), String.valueOf(s), "keyspace"));
                long keys = Long.parseLong(info.replaceAll("(?s).*db0:keys=(\\d+).*", "$1"));
                assertTrue(keys > 50 && keys < 200, "shard " + s + " holds " + keys + " keys");
            }
            assertTrue(j.info("keyspace").contains("db0:keys=300,"), "INFO sums the keyspace");
            String proxy = j.info("keyspace");
            assertTrue(proxy.contains("proxies:8") && proxy.contains("shards:3")
                    && proxy.matches("(?s).*proxy_index:\\d+\r\nproxies:8\r\nproxy_connected_clients:[1-9].*"), proxy);
            assertEquals("v42", j.get("k42"));
        }
    }

    @Test
    void infoKeyAndClusterKeyslotNameTheSlotAndShard() {
        try (Jedis j = jedis()) {
            int slot = HashSlots.slot("user:1");
            assertEquals(slot, j.clusterKeySlot("user:1"));
            String info = new String((byte[]) j.sendCommand(() -> "INFO".getBytes(), "KEY", "user:1"));
            assertEquals("slot:" + slot + " node_index:" + SlotMap.even(3).shardOf(slot), info);
        }
    }

    @Test
    void theSelectedDatabaseHoldsOnEveryShard() {
        try (Jedis j = jedis()) {
            j.select(7);
            for (int n = 0; n < 30; n++) {
                j.set("db7:" + n, "x");
            }
            assertEquals(30, j.dbSize());
            j.select(0);
            assertEquals(0, j.dbSize());
            assertThrows(JedisDataException.class, () -> j.select(256));
        }
    }

    @Test
    void multiKeyCommandsAcrossSlotsAreSplitAndMerged() {
        try (Jedis j = jedis()) {
            assertEquals("OK", j.mset("a", "1", "b", "2", "c", "3", "d", "4"));
            assertEquals(Arrays.asList("4", null, "1", "3", "2"), j.mget("d", "nothing", "a", "c", "b"));
            assertEquals(3, j.exists("a", "b", "nothing", "c"));
            assertEquals(2, j.del("a", "b", "nothing"));
            j.sadd("s1", "x", "y", "z");
            j.sadd("s2", "y", "z", "w");
            assertEquals(Set.of("x", "y", "z", "w"), j.sunion("s1", "s2"));
            assertEquals(Set.of("y", "z"), j.sinter("s1", "s2"));
            assertEquals(Set.of("x"), j.sdiff("s1", "s2"));
        }
    }

    @Test
    void otherMultiKeyCommandsAcrossSlotsAnswerCrossslotAndHashTagsFixThem() {
        try (Jedis j = jedis()) {
            String a = keyOnShard(0, "a");
            String b = keyOnShard(1, "b");
            j.set(a, "1");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.rename(a, b));
            assertEquals("CROSSSLOT Keys in request don't hash to the same slot", e.getMessage());
            assertEquals("1", j.get(a), "nothing happened");
            j.set("{user:7}:name", "ann");
            assertEquals("OK", j.rename("{user:7}:name", "{user:7}:fullname"));
            assertEquals("ann", j.get("{user:7}:fullname"));
        }
    }

    @Test
    void aClusterAwareClientWorksThroughTheEndpoint() {
        try (JedisCluster cluster = new JedisCluster(new HostAndPort("127.0.0.1", port))) {
            for (int n = 0; n < 50; n++) {
                cluster.set("jc:" + n, "v" + n);
            }
            assertEquals("v17", cluster.get("jc:17"));
        }
        try (Jedis j = jedis()) {
            assertEquals(50, j.keys("jc:*").size());
        }
    }

    @Test
    void lettucesClusterClientWorksThroughTheEndpoint() {
        io.lettuce.core.cluster.RedisClusterClient client =
                io.lettuce.core.cluster.RedisClusterClient.create("redis://127.0.0.1:" + port);
        try (var connection = client.connect()) {
            var redis = connection.sync();
            for (int n = 0; n < 50; n++) {
                redis.set("lc:" + n, "v" + n);
            }
            assertEquals("v33", redis.get("lc:33"));
            assertEquals(List.of("v1", "v2"), redis.mget("lc:1", "lc:2").stream().map(kv -> kv.getValue()).toList());
        } finally {
            client.shutdown();
        }
        try (Jedis j = jedis()) {
            assertEquals(50, j.keys("lc:*").size());
        }
    }

    @Test
    void badInputGetsTheEnginesAnswersAndHarmsNoOne() throws Exception {
        try (Jedis other = jedis()) {
            other.set("safe", "1");
            try (dev.kvsim.RawClient c = new dev.kvsim.RawClient(port)) {
                c.command("NOSUCHCMD", "a", "b");
                assertEquals("-ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' 'b' ", c.line());
                c.command("SELECT", "256");
                assertEquals("-ERR DB index is out of range", c.line());
                c.send("*1\r\n$4\r\nPING\r\n*x\r\n");
                assertEquals("+PONG", c.line());
                assertEquals("-ERR Protocol error: invalid multibulk length", c.line());
                assertTrue(c.closedByServer());
            }
            assertEquals("1", other.get("safe"), "other clients are unaffected");
        }
    }

    @Test
    void touchUnlinkRandomkeyAndFlushdbCoverEveryShard() {
        try (Jedis j = jedis()) {
            j.mset("t1", "1", "t2", "2", "t3", "3", "t4", "4");
            assertEquals(4, j.touch("t1", "t2", "t3", "t4", "none"));
            assertEquals(2, j.unlink("t1", "t2"));
            assertTrue(Set.of("t3", "t4").contains(j.randomKey()));
            assertEquals("OK", j.flushDB());
            assertEquals(0, j.dbSize());
            assertEquals(null, j.randomKey());
        }
    }

    @Test
    void blockingPopsWaitOnTheKeysShardWhileOtherClientsGoOn() throws Exception {
        try (Jedis waiter = jedis(); Jedis other = jedis()) {
            var popped = java.util.concurrent.CompletableFuture.supplyAsync(() -> waiter.blpop(10, "queue"));
            Thread.sleep(200);
            for (int n = 0; n < 20; n++) {
                other.set("busy:" + n, "x");
            }
            other.rpush("queue", "job");
            assertEquals(List.of("queue", "job"), popped.get(10, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void clientCommandsAreThoseOfTheServicesProxy() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.clientSetname("alpha");
            assertEquals("alpha", a.clientGetname());
            String list = a.clientList();
            assertTrue(list.contains("name=alpha"), list);
            assertTrue(list.lines().allMatch(l -> l.contains(" proxy=" + list.lines().findFirst().orElseThrow()
                    .replaceAll(".* proxy=(\\d+).*", "$1"))), "one logical proxy's clients: " + list);
            assertTrue(assertThrows(JedisDataException.class, a::clientId).getMessage().contains("not support"));
            b.clientSetname("beta");
            String addr = b.clientList().lines().filter(l -> l.contains("name=beta")).findFirst().orElseThrow()
                    .replaceAll("^id=\\d+ addr=([^ ]+) .*", "$1");
            assertEquals("OK", a.clientKill(addr));
            assertThrows(redis.clients.jedis.exceptions.JedisConnectionException.class, () -> {
                b.ping();
                b.ping();
            });
            assertEquals("PONG", a.ping());
        }
    }

    @Test
    void aRestartKeepsEveryShardsData() {
        try (Jedis j = jedis()) {
            for (int n = 0; n < 60; n++) {
                j.set("kept:" + n, "v" + n);
            }
        }
        given().post("/api/v1/instances/" + id + "/restart?wait=true").then().statusCode(200);
        try (Jedis j = jedis()) {
            assertEquals(60, j.keys("kept:*").size());
            assertEquals("v59", j.get("kept:59"));
        }
    }

    @Test
    void monitorShowsWhatEveryShardRuns() throws Exception {
        try (dev.kvsim.RawClient m = new dev.kvsim.RawClient(port); Jedis j = jedis()) {
            m.command("MONITOR");
            assertEquals("+OK", m.line());
            String a = keyOnShard(0, "mon-a");
            String b = keyOnShard(1, "mon-b");
            j.set(a, "1");
            j.set(b, "2");
            StringBuilder seen = new StringBuilder();
            for (int n = 0; n < 10 && !(seen.toString().contains(a) && seen.toString().contains(b)); n++) {
                seen.append(m.line()).append('\n');  // the proxy's own AUTH of new shard connections shows too
            }
            assertTrue(seen.toString().contains("\"SET\" \"" + a + "\"") && seen.toString().contains("\"SET\" \"" + b + "\""),
                    seen.toString());
        }
    }
}
