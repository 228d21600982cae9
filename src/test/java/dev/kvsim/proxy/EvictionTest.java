package dev.kvsim.proxy;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service default volatile-lru: keys with a TTL are evicted; without any, writes get the OOM error. */
@QuarkusTest
class EvictionTest {

    @Test
    void volatileLruEvictsTtlKeysThenRefusesWritesWithTheOomText() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.basic.micro.default",
                "overrides", Map.of("memoryMb", 4)));
        String value = "x".repeat(10_000);
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            for (int n = 0; n < 1000; n++) {
                j.setex("ttl:" + n, 3600, value);
            }
            String stats = j.info("stats");
            long evicted = Long.parseLong(stats.lines().filter(l -> l.startsWith("evicted_keys:")).findFirst()
                    .orElseThrow().substring("evicted_keys:".length()).trim());
            assertTrue(evicted > 0, "TTL keys were evicted: " + evicted);
            assertTrue(j.dbSize() < 1000, "not every TTL key fits in 4 MB");

            JedisDataException oom = assertThrows(JedisDataException.class, () -> {
                for (int n = 0; n < 2000; n++) {
                    j.set("plain:" + n, value);
                }
            });
            assertEquals("OOM command not allowed when used memory > 'maxmemory'.", oom.getMessage());
            assertEquals("PONG", j.ping(), "reads and the connection still work");
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }
}
