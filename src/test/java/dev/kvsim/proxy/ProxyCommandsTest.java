package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.vertx.redis.client.Command.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Engine behaviour through the proxy, with Jedis and the Vert.x Redis client (RESP2 and RESP3). */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyCommandsTest {

    private String id;
    private int port;
    private Vertx vertx;

    @BeforeAll
    void createInstance() {
        // The class's 10 MB/s would make the 64 MB value take 13 s; ThrottlingTest covers the cap.
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.micro.default",
                "overrides", Map.of("bandwidthMBps", 10_000)));
        id = i.getString("instanceId");
        port = i.getInt("port");
        vertx = Vertx.vertx();
    }

    @AfterAll
    void deleteInstance() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        Instances.delete(id);
    }

    private Jedis jedis() {
        return new Jedis("127.0.0.1", port);
    }

    @Test
    void dataTypesWork() {
        try (Jedis j = jedis()) {
            j.flushAll();
            assertEquals("OK", j.set("s", "v"));
            assertEquals(2L, j.incrBy("n", 2));
            assertEquals(2L, j.hset("h", Map.of("a", "1", "b", "2")));
            assertEquals(Map.of("a", "1", "b", "2"), j.hgetAll("h"));
            assertEquals(3L, j.rpush("l", "x", "y", "z"));
            assertEquals(List.of("x", "y", "z"), j.lrange("l", 0, -1));
            assertEquals(2L, j.sadd("set", "m", "n"));
            assertEquals(Set.of("m", "n"), j.smembers("set"));
            j.zadd("z", 2, "b");
            j.zadd("z", 1, "a");
            assertEquals(List.of("a", "b"), j.zrange("z", 0, -1));
            StreamEntryID e = j.xadd("st", XAddParams.xAddParams(), Map.of("f", "v"));
            assertEquals(1L, j.xlen("st"));
            assertEquals(e, j.xrange("st", (StreamEntryID) null, (StreamEntryID) null).get(0).getID());
            assertEquals(7L, j.dbSize());
        }
    }

    @Test
    void tenThousandPipelinedCommandsAnswerInOrder() {
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            List<redis.clients.jedis.Response<String>> gets = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                p.set("p:" + i, "v" + i);
                gets.add(p.get("p:" + i));
            }
            p.sync();
            for (int i = 0; i < 5000; i++) {
                assertEquals("v" + i, gets.get(i).get());
            }
        }
    }

    @Test
    void refusedCommandsKeepTheirPlaceInAPipeline() {
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            p.set("order", "1");
            redis.clients.jedis.Response<Object> debug = p.sendCommand(() -> "DEBUG".getBytes(), "SLEEP", "0");
            redis.clients.jedis.Response<String> get = p.get("order");
            redis.clients.jedis.Response<Object> cfg = p.sendCommand(() -> "CONFIG".getBytes(), "SET", "maxmemory", "1");
            redis.clients.jedis.Response<String> get2 = p.get("order");
            p.sync();
            JedisDataException e = assertThrows(JedisDataException.class, debug::get);
            assertEquals("ERR command debug not support for normal user", e.getMessage());
            assertEquals("1", get.get());
            assertEquals("OK", new String((byte[]) cfg.get()));
            assertEquals("1", get2.get());
        }
    }

    @Test
    void reservedCommandsAreRefusedWithTheServiceText() {
        try (Jedis j = jedis()) {
            for (String cmd : List.of("SHUTDOWN", "REPLICAOF NO ONE", "SLAVEOF NO ONE", "BGSAVE", "SAVE", "BGREWRITEAOF",
                    "SYNC", "PSYNC ? -1", "REPLCONF listening-port 1", "MODULE LIST", "FAILOVER")) {
                String[] parts = cmd.split(" ");
                JedisDataException e = assertThrows(JedisDataException.class,
                        () -> j.sendCommand(() -> parts[0].getBytes(), Arrays.copyOfRange(parts, 1, parts.length)), cmd);
                assertEquals("ERR command " + parts[0].toLowerCase() + " not support for normal user", e.getMessage());
            }
            JedisDataException e = assertThrows(JedisDataException.class, j::configRewrite);
            assertEquals("ERR command config rewrite not support for normal user", e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.aclSetUser("intruder", "on", ">x", "+@all"));
            assertEquals("ERR command acl setuser not support for normal user", e.getMessage());
            assertEquals("PONG", j.ping(), "the node is still up");
        }
    }

    @Test
    void configSetIsAcceptedAndChangesNothing() {
        try (Jedis j = jedis()) {
            String before = j.configGet("maxmemory-policy").get("maxmemory-policy");
            assertEquals("OK", j.configSet("maxmemory-policy", "allkeys-random"));
            assertEquals(before, j.configGet("maxmemory-policy").get("maxmemory-policy"));
            assertEquals("", j.configGet("requirepass").get("requirepass"), "the node's own password never shows");
            assertEquals(Integer.toString(port), j.configGet("port").get("port"));
        }
    }

    @Test
    void multiExecAndWatch() {
        try (Jedis j = jedis(); Jedis other = jedis()) {
            j.set("acct", "10");
            Transaction t = j.multi();
            t.incrBy("acct", 5);
            t.get("acct");
            assertEquals(List.of(15L, "15"), t.exec());

            j.watch("acct");
            other.set("acct", "0");
            Transaction t2 = j.multi();
            t2.set("acct", "99");
            assertNull(t2.exec(), "WATCH aborts the transaction");
            assertEquals("0", j.get("acct"));
        }
    }

    @Test
    void aRefusedCommandInsideMultiAbortsExecAsTheEngineWould() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("DEL", "tx");
            assertEquals(":0", c.line().replace(":1", ":0"));
            c.command("MULTI").command("SET", "tx", "1").command("DEBUG", "SLEEP", "0").command("EXEC");
            assertEquals("+OK", c.line());
            assertEquals("+QUEUED", c.line());
            assertEquals("-ERR command debug not support for normal user", c.line());
            assertEquals("-EXECABORT Transaction discarded because of previous errors.", c.line());
            c.command("GET", "tx");
            assertNull(c.reply(), "nothing of the aborted transaction ran");
        }
    }

    @Test
    void selectReachesDb255AndRefuses256() {
        try (Jedis j = jedis()) {
            assertEquals("OK", j.select(255));
            j.set("in255", "yes");
            j.select(0);
            assertNull(j.get("in255"));
            j.select(255);
            assertEquals("yes", j.get("in255"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.select(256));
            assertEquals("ERR DB index is out of range", e.getMessage());
        }
    }

    @Test
    void pubSubDeliversMessages() throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        CompletableFuture<String> received = new CompletableFuture<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                received.complete(channel + ":" + message);
                unsubscribe();
            }
        };
        Thread t = new Thread(() -> {
            try (Jedis sub = jedis()) {
                sub.subscribe(listener, "news");
            }
        });
        t.start();
        assertTrue(subscribed.await(10, TimeUnit.SECONDS));
        try (Jedis pub = jedis()) {
            assertEquals(1L, pub.publish("news", "hello"));
        }
        assertEquals("news:hello", received.get(10, TimeUnit.SECONDS));
        t.join(10_000);
    }

    @Test
    void blpopWaitsForAPush() throws Exception {
        try (Jedis waiting = jedis(); Jedis pusher = jedis()) {
            waiting.del("queue");
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> waiting.blpop(10, "queue"));
            Thread.sleep(200);
            assertTrue(!popped.isDone(), "BLPOP blocks");
            pusher.rpush("queue", "job");
            assertEquals(List.of("queue", "job"), popped.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void clientSetNameIsPerConnection() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.clientSetname("alpha");
            assertEquals("alpha", a.clientGetname());
            assertNull(b.clientGetname());
            assertTrue(a.clientList().contains("name=alpha"));
        }
    }

    @Test
    void commandsWithManyShortArgumentsAreAnswered() {
        String[] keys = new String[500];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "k" + i + "xxxxxxx";
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set(keys[7], "v");
            for (int n : new int[] {120, 130, 200, 500}) {
                assertEquals(1L, j.exists(java.util.Arrays.copyOf(keys, n)), n + " keys");
            }
            j.del(keys[7]);
        }
    }

    @Test
    void largeValuesPassWhole() {
        byte[] big = new byte[64 * 1024 * 1024 + 7];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        // 64 MB into a dual replica's AOF: on a busy disk the engine takes longer than Jedis's 2 s default.
        try (Jedis j = new Jedis("127.0.0.1", port, 60_000)) {
            assertEquals("OK", j.set("big".getBytes(), big));
            assertArrayEquals(big, j.get("big".getBytes()));
            j.del("big");
        }
    }

    @Test
    void vertxClientWithResp3Hello() throws Exception {
        Redis client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString("redis://127.0.0.1:" + port).setPreferredProtocolVersion(ProtocolVersion.RESP3));
        RedisConnection c = client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Response hello = await(c.send(Request.cmd(HELLO).arg(3)));
            assertEquals(3, hello.get("proto").toInteger());
            await(c.send(Request.cmd(HSET).arg("r3").arg("f").arg("v")));
            Response map = await(c.send(Request.cmd(HGETALL).arg("r3")));
            assertEquals(ResponseType.MULTI, map.type());
            assertEquals("v", map.get("f").toString());
            assertEquals("PONG", await(c.send(Request.cmd(PING))).toString());
        } finally {
            c.close();
            client.close();
        }
    }

    @Test
    void vertxClientPipelinesManyCommands() throws Exception {
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
        RedisConnection c = client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            List<io.vertx.core.Future<Response>> replies = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                replies.add(c.send(Request.cmd(INCR).arg("vx")));
            }
            long last = 0;
            for (io.vertx.core.Future<Response> f : replies) {
                long v = await(f).toLong();
                assertTrue(v > last, "replies stay in order");
                last = v;
            }
        } finally {
            c.close();
            client.close();
        }
    }

    private static Response await(io.vertx.core.Future<Response> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
