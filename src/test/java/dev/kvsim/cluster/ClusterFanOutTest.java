package dev.kvsim.cluster;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster instance's commands about the whole keyspace (fan-out), its own commands (ISCAN,
 * CLIENT), and the Lua rules a standard instance does not have.
 */
@QuarkusTest
class ClusterFanOutTest extends ClusterInstanceTest {

    ClusterFanOutTest() {
        super(3);
    }

    private static String message(Runnable r) {
        return assertThrows(JedisDataException.class, r::run).getMessage();
    }

    @Test
    void randomkeyFindsTheOnlyKeyWhenItIsOnTheLastShard() {
        try (Jedis j = jedis()) {
            String only = keyOnShard(shards - 1, "only");
            j.set(only, "x");
            for (int n = 0; n < 10; n++) {
                assertEquals(only, j.randomKey());
            }
        }
    }

    @Test
    void flushallEmptiesEveryDatabaseOfEveryShard() {
        try (Jedis j = jedis()) {
            for (int db : new int[] {0, 5}) {
                j.select(db);
                for (int s = 0; s < shards; s++) {
                    j.set(keyOnShard(s, "f" + db + ":"), "x");
                }
                assertEquals(shards, j.dbSize());
            }
            assertEquals("OK", j.flushAll());
            for (int s = 0; s < shards; s++) {
                String keyspace = new String((byte[]) j.sendCommand(() -> "IINFO".getBytes(), String.valueOf(s), "keyspace"));
                assertEquals("# Keyspace", keyspace.trim(), "shard " + s);
            }
            assertEquals(0, j.dbSize());
            j.select(0);
            assertEquals(0, j.dbSize());
        }
    }

    @Test
    void echoAnswersItsArgument() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("ECHO", "hello shards");
            assertEquals("hello shards", c.reply());
            c.command("ECHO");
            assertEquals("-ERR wrong number of arguments for 'echo' command", c.line());
        }
    }

    @Test
    void timeIsTheServersClock() {
        try (Jedis j = jedis()) {
            List<String> time = j.time();
            assertEquals(2, time.size());
            long seconds = Long.parseLong(time.get(0));
            assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000) <= 5, "seconds " + seconds);
            long micros = Long.parseLong(time.get(1));
            assertTrue(micros >= 0 && micros < 1_000_000, "microseconds " + micros);
        }
    }

    @Test
    void scriptFlushForgetsTheScriptsSoEvalshaAnswersNoscript() {
        String script = "return redis.call('GET', KEYS[1])";
        try (Jedis j = jedis()) {
            String sha = j.scriptLoad(script);
            j.set("sf", "v");
            assertEquals("v", j.evalsha(sha, 1, "sf"));
            assertEquals("OK", j.scriptFlush());
            assertFalse(j.scriptExists(sha));
            assertEquals("NOSCRIPT No matching script. Please use EVAL.", message(() -> j.evalsha(sha, 1, "sf")));
            assertEquals("v", j.eval(script, 1, "sf"), "EVAL still works, and knows the script again");
            assertEquals("v", j.evalsha(sha, 1, "sf"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> iscanAll(Jedis j, int shard, String... options) {
        Set<String> keys = new HashSet<>();
        String cursor = "0";
        do {
            String[] args = new String[2 + options.length];
            args[0] = String.valueOf(shard);
            args[1] = cursor;
            System.arraycopy(options, 0, args, 2, options.length);
            List<Object> page = (List<Object>) j.sendCommand(() -> "ISCAN".getBytes(), args);
            cursor = new String((byte[]) page.get(0));
            for (Object k : (List<Object>) page.get(1)) {
                assertTrue(keys.add(new String((byte[]) k)), "no key twice");
            }
        } while (!cursor.equals("0"));
        return keys;
    }

    @Test
    void iscanReturnsExactlyTheKeysInfoKeyPlacesOnTheShard() {
        try (Jedis j = jedis()) {
            List<Set<String>> expected = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
            for (int n = 0; n < 120; n++) {
                String k = "isc:" + n;
                j.set(k, "x");
                String info = new String((byte[]) j.sendCommand(() -> "INFO".getBytes(), "KEY", k));
                expected.get(Integer.parseInt(info.replaceAll(".*node_index:(\\d+)$", "$1"))).add(k);
            }
            for (int s = 0; s < shards; s++) {
                assertFalse(expected.get(s).isEmpty());
                assertEquals(expected.get(s), iscanAll(j, s, "COUNT", "7"), "shard " + s);
                Set<String> tens = new HashSet<>(expected.get(s));
                tens.removeIf(k -> !k.matches("isc:1\\d"));
                assertEquals(tens, iscanAll(j, s, "MATCH", "isc:1?", "COUNT", "7"), "shard " + s + " with MATCH");
            }
            assertEquals("ERR invalid shard index; this instance has shards 0 to 2",
                    message(() -> j.sendCommand(() -> "ISCAN".getBytes(), "3", "0")));
        }
    }

    @Test
    void evalWithNegativeNumkeysGetsTheServicesError() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("EVAL", "return 1", "-1");
            assertEquals("-ERR for redis cluster, eval/evalsha number of keys can't be negative or zero", c.line());
        }
    }

    @Test
    void aStandardInstanceRunsWhatTheClusterRefuses() {
        JsonPath standard = Instances.createSingle();
        try (Jedis j = new Jedis("127.0.0.1", standard.getInt("port"))) {
            assertEquals("OK", j.eval("return redis.call('SET', KEYS[1] .. ':x', ARGV[1])", 1, "k", "v").toString());
            assertEquals("v", j.get("k:x"));
            assertEquals(1L, j.eval("return redis.call('INCR', 'counter')", 0));
        } finally {
            Instances.delete(standard.getString("instanceId"));
        }
        try (Jedis j = jedis()) {
            assertEquals("ERR bad lua script for redis cluster, all the keys that the script uses should be passed "
                    + "using the KEYS array", message(() -> j.eval("return redis.call('SET', KEYS[1] .. ':x', ARGV[1])", 1, "k", "v")));
            assertEquals("ERR for redis cluster, eval/evalsha number of keys can't be negative or zero",
                    message(() -> j.eval("return redis.call('INCR', 'counter')", 0)));
        }
    }

    @Test
    void clientInfoAndIdAreNotSupported() {
        try (Jedis j = jedis()) {
            assertEquals("ERR command 'CLIENT INFO' not support in cluster mode", message(j::clientInfo));
            assertEquals("ERR command 'CLIENT ID' not support in cluster mode", message(j::clientId));
        }
    }

    @Test
    void clientKillAddrClosesThatClient() throws Exception {
        try (Jedis killer = jedis(); RawClient victim = new RawClient(port)) {
            victim.command("CLIENT", "SETNAME", "victim");
            assertEquals("+OK", victim.line());
            victim.command("CLIENT", "LIST");
            String addr = victim.reply().lines().filter(l -> l.contains("name=victim")).findFirst().orElseThrow()
                    .replaceAll("^id=\\d+ addr=([^ ]+) .*", "$1");
            assertEquals(0L, killer.sendCommand(() -> "CLIENT".getBytes(), "KILL", "ADDR", "127.0.0.1:1"));
            assertEquals(1L, killer.sendCommand(() -> "CLIENT".getBytes(), "KILL", "ADDR", addr));
            assertTrue(victim.closedByServer());
            assertEquals("PONG", killer.ping());
        }
    }

    @Test
    void otherClientKillFormsAnswerTheEnginesSyntaxError() {
        // docs/proxy.md, "Former ERR kvsim answers": the two forms the service supports, the engine's error otherwise
        try (Jedis j = jedis()) {
            assertEquals("ERR syntax error", message(() -> j.sendCommand(() -> "CLIENT".getBytes(), "KILL", "ID", "1")));
            assertEquals("ERR syntax error",
                    message(() -> j.sendCommand(() -> "CLIENT".getBytes(), "KILL", "USER", "default")));
            assertEquals("PONG", j.ping());
        }
    }
}
