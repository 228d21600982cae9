package dev.kvsim.params;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxmemory-policy set through the parameters API decides what a full instance evicts. */
@QuarkusTest
class EvictionPolicyTest {

    private static final String VALUE = "x".repeat(10_000);

    private interface Scenario {
        void run(Jedis j);
    }

    private static void withPolicy(String policy, Scenario scenario) {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.basic.micro.default",
                "overrides", Map.of("memoryMb", 4)));
        String id = i.getString("instanceId");
        try {
            given().contentType(ContentType.JSON).body(Map.of("maxmemory-policy", policy))
                    .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
                assertEquals(policy, j.configGet("maxmemory-policy").get("maxmemory-policy"));
                scenario.run(j);
            }
        } finally {
            Instances.delete(id);
        }
    }

    private static long evicted(Jedis j) {
        return Long.parseLong(j.info("stats").lines().filter(l -> l.startsWith("evicted_keys:")).findFirst()
                .orElseThrow().substring("evicted_keys:".length()).trim());
    }

    @Test
    void allkeysLruEvictsKeysWithoutTtlLeastRecentlyUsedFirst() {
        withPolicy("allkeys-lru", j -> {
            for (int n = 0; n < 150; n++) {
                j.set("cold:" + n, VALUE);
            }
            sleep(1100);  // the engine's LRU clock ticks once a second
            for (int n = 0; n < 300; n++) {
                j.set("new:" + n, VALUE);
            }
            assertTrue(evicted(j) > 0);
            // The engine's LRU clock has one-second steps: keys used within the same second tie, so
            // what is checked is that keys idle for a second went before the ones in use.
            long coldLeft = java.util.stream.IntStream.range(0, 150).filter(n -> j.exists("cold:" + n)).count();
            long newLeft = java.util.stream.IntStream.range(0, 300).filter(n -> j.exists("new:" + n)).count();
            assertTrue(150 - coldLeft > 300 - newLeft,
                    "the least recently used went first: " + (150 - coldLeft) + " old and " + (300 - newLeft)
                            + " new keys evicted");
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void allkeysLfuKeepsTheFrequentlyUsed() {
        withPolicy("allkeys-lfu", j -> {
            j.set("frequent", VALUE);
            for (int n = 0; n < 200; n++) {
                j.get("frequent");
            }
            for (int n = 0; n < 1000; n++) {
                j.set("once:" + n, VALUE);
            }
            assertTrue(evicted(j) > 0);
            assertNotNull(j.get("frequent"));
        });
    }

    @Test
    void volatileTtlEvictsTheKeysClosestToExpiryAndSparesKeysWithoutTtl() {
        withPolicy("volatile-ttl", j -> {
            j.set("forever", VALUE);
            j.setex("long", 86_400, VALUE);
            for (int n = 0; n < 1000; n++) {
                j.setex("short:" + n, 600 + n, VALUE);
            }
            assertTrue(evicted(j) > 0);
            assertNotNull(j.get("forever"));
            assertNotNull(j.get("long"), "the key with the longest TTL stays");
            long sooner = java.util.stream.IntStream.range(0, 500).filter(n -> !j.exists("short:" + n)).count();
            long later = java.util.stream.IntStream.range(500, 1000).filter(n -> !j.exists("short:" + n)).count();
            assertTrue(sooner > later, "keys closer to expiry went first: " + sooner + " of the sooner half, "
                    + later + " of the later half evicted");
        });
    }

    @Test
    void noevictionRefusesWritesWithTheOomTextAndKeepsEveryKey() {
        withPolicy("noeviction", j -> {
            JedisDataException oom = assertThrows(JedisDataException.class, () -> {
                for (int n = 0; n < 2000; n++) {
                    j.setex("ttl:" + n, 3600, VALUE);
                }
            });
            assertEquals("OOM command not allowed when used memory > 'maxmemory'.", oom.getMessage());
            assertEquals(0, evicted(j));
            assertTrue(j.info("memory").contains("maxmemory:" + 4 * 1024 * 1024 + "\r\n"),
                    "INFO memory shows the instance's memory");
            long keys = j.dbSize();
            assertTrue(keys > 0);
            assertEquals(keys, Long.parseLong(j.info("keyspace").lines().filter(l -> l.startsWith("db0:keys="))
                    .findFirst().orElseThrow().split("[=,]")[1]), "INFO keyspace tells the truth");
            assertEquals("PONG", j.ping());
        });
    }
}
