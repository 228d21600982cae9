package dev.kvsim.cluster;

import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * FUNCTION, FCALL, WAIT and RESET through the cluster proxy of a 3-shard instance, with the engine's
 * and the service's answers (they answered {@code ERR kvsim: … not supported by this kvsim yet}).
 */
@QuarkusTest
class ClusterFunctionsAndConnectionTest extends ClusterInstanceTest {

    private static final String LIBRARY = "#!lua name=counters\n"
            + "redis.register_function('bump', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)\n"
            + "redis.register_function{function_name='total', callback=function(keys, args)\n"
            + "  local n = 0 for _, k in ipairs(keys) do n = n + (tonumber(redis.call('GET', k)) or 0) end return n end,\n"
            + "  flags={'no-writes'}}";

    ClusterFunctionsAndConnectionTest() {
        super(3);
    }

    @Test
    void aLibraryLoadedOnceServesFcallOnEveryShard() {
        try (Jedis j = jedis()) {
            j.functionFlush();
            assertEquals("counters", j.functionLoad(LIBRARY));
            for (int shard = 0; shard < 3; shard++) {
                String key = keyOnShard(shard, "fn:");
                assertEquals(5L, j.fcall("bump", List.of(key), List.of("5")));
                assertEquals(7L, j.fcall("bump", List.of(key), List.of("2")));
                assertEquals(7L, j.fcallReadonly("total", List.of(key), List.of()));
            }
            assertEquals("counters", j.functionList().get(0).getLibraryName());
            byte[] dump = j.functionDump();
            assertEquals("OK", j.functionFlush());
            assertEquals(0, j.functionList().size());
            assertEquals("OK", j.functionRestore(dump));
            assertEquals(8L, j.fcall("bump", List.of(keyOnShard(2, "fn:")), List.of("1")), "restored on every shard");
            assertEquals("OK", j.functionDelete("counters"));
            assertEquals("ERR Function not found",
                    assertThrows(JedisDataException.class, () -> j.fcall("bump", List.of("fn:x"), List.of("1"))).getMessage());
        }
    }

    @Test
    void fcallFollowsEvalsSlotRules() {
        String a = keyOnShard(0, "fs:");
        String b = keyOnShard(1, "fs:");
        try (Jedis j = jedis()) {
            j.functionFlush();
            j.functionLoad(LIBRARY);
            assertEquals("ERR eval/evalsha command keys must in same slot",
                    assertThrows(JedisDataException.class, () -> j.fcall("total", List.of(a, b), List.of())).getMessage());
            assertEquals("ERR for redis cluster, eval/evalsha number of keys can't be negative or zero",
                    assertThrows(JedisDataException.class, () -> j.fcall("total", List.of(), List.of())).getMessage());
            assertEquals(0L, j.fcall("total", List.of("{t}:1", "{t}:2"), List.of()), "one slot: runs");
            j.functionFlush();
        }
    }

    @Test
    void waitCountsTheReplicasOfEveryShardTheClientWroteTo() {
        try (Jedis j = jedis()) {
            assertEquals(1L, j.waitReplicas(1, 2000), "no write yet: the first shard's replica");
            j.set(keyOnShard(0, "w:"), "1");
            j.set(keyOnShard(2, "w:"), "1");
            assertEquals(1L, j.waitReplicas(1, 2000), "both shards' replicas acknowledged");
            assertEquals(1L, j.waitReplicas(2, 200), "a shard has one replica: WAIT 2 times out with 1");
        }
    }

    @Test
    void resetEndsMultiSubscriptionsAndTheDatabaseAsOnTheEngine() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("SELECT", "3");
            assertEquals("+OK", c.line());
            c.command("CLIENT", "SETNAME", "before-reset");
            assertEquals("+OK", c.line());
            c.command("MULTI");
            assertEquals("+OK", c.line());
            c.command("SET", "r:k", "queued");
            assertEquals("+QUEUED", c.line());
            c.command("RESET");
            assertEquals("+RESET", c.line());
            c.command("EXEC");
            assertEquals("-ERR EXEC without MULTI", c.line());
            c.command("GET", "r:k");
            assertEquals("$-1", c.line(), "nothing of the transaction ran");
            c.command("CLIENT", "GETNAME");
            assertEquals("$-1", c.line());
            c.command("SUBSCRIBE", "ch");
            assertEquals(List.of("*3", "$9", "subscribe", "$2", "ch", ":1"), lines(c, 6));
            c.command("RESET");
            assertEquals("+RESET", c.line());
            c.command("SET", "r:k", "db0");
            assertEquals("+OK", c.line());
            try (Jedis other = jedis()) {
                assertEquals("db0", other.get("r:k"), "RESET went back to DB 0");
                assertEquals(0L, other.publish("ch", "gone"), "RESET ended the subscription");
            }
            c.command("PING");
            assertEquals("+PONG", c.line());
        }
    }

    private static List<String> lines(RawClient c, int n) throws Exception {
        String[] out = new String[n];
        for (int k = 0; k < n; k++) {
            out[k] = c.line();
        }
        return List.of(out);
    }
}
