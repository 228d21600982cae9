package dev.kvsim.cluster;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster instance's INFO memory describes the instance: used_memory and maxmemory summed over the shards. */
@QuarkusTest
class ClusterInfoMemoryTest {

    private static long field(String info, String name) {
        return Long.parseLong(info.replaceAll("(?s).*\r\n" + name + ":(\\d+)\r\n.*", "$1"));
    }

    private static String shardInfo(Jedis j, int shard) {
        return new String((byte[]) j.sendCommand(() -> "IINFO".getBytes(), String.valueOf(shard), "memory"));
    }

    @Test
    void infoMemorySumsUsedMemoryAndMaxmemoryOverTheShards() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            String value = "x".repeat(10_000);
            for (int n = 0; n < 200; n++) {
                j.set("k" + n, value);
            }
            String shard0 = shardInfo(j, 0);
            String shard1 = shardInfo(j, 1);
            assertEquals(32L * 1024 * 1024, field(shard0, "maxmemory"), "each shard holds half");
            String info = j.info("memory");
            assertEquals(64L * 1024 * 1024, field(info, "maxmemory"), info);
            assertTrue(info.contains("\r\nmaxmemory_human:64.00M\r\n"), info);
            long used = field(info, "used_memory");
            long sum = field(shard0, "used_memory") + field(shard1, "used_memory");
            assertTrue(Math.abs(used - sum) < sum / 20, "INFO memory's used_memory " + used + " vs the shards' " + sum);
            assertTrue(used > field(shard0, "used_memory") * 3 / 2, "more than one shard's");
            String all = j.info();
            assertEquals(64L * 1024 * 1024, field(all, "maxmemory"), "INFO without a section sums too");
            assertTrue(all.contains("db0:keys=200,"), "and the keyspace");
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }
}
