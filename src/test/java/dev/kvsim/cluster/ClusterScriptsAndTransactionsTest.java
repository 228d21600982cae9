package dev.kvsim.cluster;

import dev.kvsim.proxy.cluster.ClusterScripts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster proxy's Lua rules, SCAN across shards, pub/sub on one shard and transactions per shard. */
@QuarkusTest
class ClusterScriptsAndTransactionsTest extends ClusterInstanceTest {

    ClusterScriptsAndTransactionsTest() {
        super(2);
    }

    private static String message(Runnable r) {
        return assertThrows(JedisDataException.class, r::run).getMessage();
    }

    @Test
    void luaFollowsTheClusterProxysRules() {
        try (Jedis j = jedis()) {
            assertEquals("ERR for redis cluster, eval/evalsha number of keys can't be negative or zero",
                    message(() -> j.eval("return 1", 0)));
            assertEquals("ERR eval/evalsha command keys must in same slot",
                    message(() -> j.eval("return 1", 2, "a", "b")));
            assertEquals("ERR bad lua script for redis cluster, all the keys that the script uses should be passed "
                    + "using the KEYS array", message(() -> j.eval("return redis.call('SET', KEYS[1] .. 'x', 1)", 1, "k")));
            assertFalse(j.exists("kx"), "the refused call wrote nothing");
            assertEquals(1L, j.eval("local k = KEYS[1]; return redis.call('INCR', k)", 1, "counter"));
            assertEquals("v", j.eval("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[2])",
                    List.of("{t}a", "{t}a"), List.of("v")));
        }
    }

    @Test
    void evalshaUsesTheUsersShaAndScriptLoadAnswersIt() {
        String script = "return redis.call('GET', KEYS[1])";
        try (Jedis j = jedis()) {
            String sha = j.scriptLoad(script);
            assertEquals(ClusterScripts.sha1Hex(script), sha);
            assertEquals(List.of(true, false), j.scriptExists(sha, "0000000000000000000000000000000000000000"));
            j.set("g", "got");
            assertEquals("got", j.evalsha(sha, 1, "g"));
            assertTrue(message(() -> j.evalsha("0000000000000000000000000000000000000000", 1, "g")).startsWith("NOSCRIPT"));
        }
    }

    @Test
    void scriptCheckEnableZeroSwitchesTheChecksOff() {
        given().contentType(ContentType.JSON).body(Map.of("script_check_enable", "0"))
                .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
        try (Jedis j = jedis()) {
            assertEquals(1L, j.eval("return 1", 0));
            assertEquals("OK", j.eval("return redis.call('SET', KEYS[1] .. 'x', 1)", 1, "k").toString());
        } finally {
            given().contentType(ContentType.JSON).body(Map.of("script_check_enable", "1"))
                    .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
        }
    }

    @Test
    void scanVisitsEveryShardOnce() {
        try (Jedis j = jedis()) {
            for (int n = 0; n < 200; n++) {
                j.set("scan:" + n, "x");
            }
            Set<String> seen = new HashSet<>();
            List<String> all = new ArrayList<>();
            String cursor = "0";
            do {
                ScanResult<String> page = j.scan(cursor, new ScanParams().count(30).match("scan:*"));
                all.addAll(page.getResult());
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
            assertEquals(200, seen.size());
            assertEquals(200, all.size(), "no key twice");
            Object shard0 = j.sendCommand(() -> "ISCAN".getBytes(), "0", "0", "COUNT", "1000");
            assertTrue(((List<?>) ((List<?>) shard0).get(1)).size() < 200, "ISCAN scans one shard");
        }
    }

    @Test
    void publishFromAnyClientReachesEverySubscriber() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(2);
        CountDownLatch got = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                received.add(channel + "=" + message);
                got.countDown();
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(pattern + ":" + channel + "=" + message);
                got.countDown();
            }
        };
        try (Jedis sub = jedis(); Jedis pub = jedis()) {
            Thread t = new Thread(() -> sub.subscribe(listener, "news"));
            t.start();
            assertTrue(subscribed.await(0, TimeUnit.SECONDS) || waitFor(() -> listener.isSubscribed()));
            listener.psubscribe("sport.*");
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            assertEquals(1L, pub.publish("news", "hello"));
            pub.publish("sport.tennis", "ace");
            assertTrue(got.await(10, TimeUnit.SECONDS), "received " + received);
            listener.unsubscribe();
            listener.punsubscribe();
            t.join(10_000);
            assertTrue(received.contains("news=hello"));
            assertTrue(received.contains("sport.*:sport.tennis=ace"));
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int n = 0; n < 200 && !condition.getAsBoolean(); n++) {
            Thread.sleep(25);
        }
        return condition.getAsBoolean();
    }

    @Test
    void transactionsRunPerShardAndACommandSpanningSlotsFailsAlone() {
        try (Jedis j = jedis()) {
            Transaction tx = j.multi();
            tx.set("{u1}:a", "1");
            tx.incr("{u1}:n");
            tx.set("elsewhere", "2");
            tx.mset("x", "1", "y", "2");
            tx.get("{u1}:a");
            List<Object> results = tx.exec();
            assertEquals("OK", results.get(0));
            assertEquals(1L, results.get(1));
            assertEquals("OK", results.get(2));
            assertTrue(results.get(3) instanceof JedisDataException
                    && ((JedisDataException) results.get(3)).getMessage().startsWith("CROSSSLOT"), String.valueOf(results.get(3)));
            assertEquals("1", results.get(4));
            assertEquals("2", j.get("elsewhere"));
            assertNull(j.get("x"), "the spanning command ran nowhere");
        }
    }

    @Test
    void keylessCommandsAreRefusedInsideMulti() {
        try (Jedis j = jedis()) {
            Transaction tx = j.multi();
            tx.set("k", "v");
            tx.keys("*");
            JedisDataException abort = assertThrows(JedisDataException.class, tx::exec);
            assertTrue(abort.getMessage().startsWith("EXECABORT"), abort.getMessage());
            assertFalse(j.exists("k"));
        }
    }
}
