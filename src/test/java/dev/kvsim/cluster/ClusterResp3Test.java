package dev.kvsim.cluster;

import dev.kvsim.Instances;
import dev.kvsim.PatternMessages;
import dev.kvsim.RawClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.vertx.redis.client.Command.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RESP3 through the cluster proxy ({@code proxy_resp3_enable}, on by default): real clients that
 * negotiate HELLO 3, replies merged across shards in RESP3's types, pushes for pub/sub and
 * client-side caching, keyspace events of every shard.
 */
@QuarkusTest
class ClusterResp3Test extends ClusterInstanceTest {

    private Vertx vertx;

    ClusterResp3Test() {
        super(3);
    }

    @BeforeAll
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theVertxClientWithDefaultOptionsSpeaksResp3() throws Exception {
        String a = keyOnShard(0, "vx:");
        String b = keyOnShard(1, "vx:");
        String c = keyOnShard(2, "vx:");
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + port);  // negotiates HELLO 3
        RedisConnection conn = await(client.connect());
        RedisConnection sub = await(client.connect());
        RedisConnection writer = await(client.connect());
        try {
            assertEquals(3, await(conn.send(Request.cmd(HELLO))).get("proto").toInteger(), "the connection speaks RESP3");
            await(conn.send(Request.cmd(SET).arg(a).arg("1")));
            await(conn.send(Request.cmd(SET).arg(b).arg("2")));
            Response values = await(conn.send(Request.cmd(MGET).arg(a).arg(b).arg(c)));  // split over three shards
            assertEquals("1", values.get(0).toString());
            assertEquals("2", values.get(1).toString());
            assertNull(values.get(2));
            await(conn.send(Request.cmd(HSET).arg(c).arg("f").arg("v")));
            Response map = await(conn.send(Request.cmd(HGETALL).arg(c)));
            assertEquals(ResponseType.MULTI, map.type());
            assertEquals("v", map.get("f").toString());
            await(conn.send(Request.cmd(ZADD).arg("vx:z").arg("1.5").arg("m")));
            assertEquals(1.5, await(conn.send(Request.cmd(ZSCORE).arg("vx:z").arg("m"))).toDouble());

            BlockingQueue<Response> pushes = new LinkedBlockingQueue<>();
            sub.handler(pushes::add);
            sub.send(Request.cmd(SUBSCRIBE).arg("news"));
            Response confirmation = pushes.poll(10, TimeUnit.SECONDS);
            assertNotNull(confirmation);
            assertEquals(ResponseType.PUSH, confirmation.type());
            assertEquals("subscribe", confirmation.get(0).toString());
            assertEquals(1L, await(conn.send(Request.cmd(PUBLISH).arg("news").arg("hello"))).toLong());
            Response message = pushes.poll(10, TimeUnit.SECONDS);
            assertNotNull(message);
            assertEquals(List.of("message", "news", "hello"), List.of(message.get(0).toString(),
                    message.get(1).toString(), message.get(2).toString()));

            BlockingQueue<Response> invalidations = new LinkedBlockingQueue<>();
            conn.handler(invalidations::add);
            assertEquals("OK", await(conn.send(Request.cmd(CLIENT).arg("TRACKING").arg("ON").arg("BCAST")
                    .arg("PREFIX").arg("vx:"))).toString());
            for (String k : List.of(a, b, c)) {
                await(writer.send(Request.cmd(SET).arg(k).arg("changed")));
            }
            Set<String> invalidated = new HashSet<>();
            while (invalidated.size() < 3) {
                Response push = invalidations.poll(10, TimeUnit.SECONDS);
                assertNotNull(push, "an invalidation from every shard; got " + invalidated);
                assertEquals("invalidate", push.get(0).toString());
                push.get(1).forEach(key -> invalidated.add(key.toString()));
            }
            assertEquals(Set.of(a, b, c), invalidated);
        } finally {
            conn.close();
            sub.close();
            writer.close();
            client.close();
        }
    }

    @Test
    void lettuceWithResp3GetsCommandsPubSubAndInvalidationsFromEveryShard() throws Exception {
        List<String> keys = List.of(keyOnShard(0, "user:"), keyOnShard(1, "user:"), keyOnShard(2, "user:"));
        RedisClient lettuce = RedisClient.create("redis://127.0.0.1:" + port);
        // RESP3 required: Lettuce connects only once the proxy accepted its HELLO 3
        lettuce.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> conn = lettuce.connect();
             StatefulRedisConnection<String, String> writer = lettuce.connect();
             StatefulRedisPubSubConnection<String, String> sub = lettuce.connectPubSub()) {
            RedisCommands<String, String> redis = conn.sync();
            redis.mset(Map.of(keys.get(0), "a", keys.get(1), "b"));
            assertEquals(Arrays.asList("a", "b", null), redis.mget(keys.get(0), keys.get(1), keys.get(2)).stream()
                    .map(kv -> kv.getValueOrElse(null)).toList());

            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(channel + " " + message);
                }
            });
            sub.sync().subscribe("orders");
            assertEquals(1L, redis.publish("orders", "o-1"));
            assertEquals("orders o-1", messages.poll(10, TimeUnit.SECONDS));

            BlockingQueue<String> invalidated = new LinkedBlockingQueue<>();
            PushListener listener = push -> {
                if (push.getType().equals("invalidate")) {
                    push.getContent(StringCodec.UTF8::decodeKey).stream().skip(1)
                            .forEach(k -> ((List<?>) k).forEach(key -> invalidated.add(key.toString())));
                }
            };
            conn.addListener(listener);
            assertEquals("OK", redis.clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes("user:")));
            keys.forEach(k -> writer.sync().set(k, "new"));
            Set<String> got = new HashSet<>();
            while (got.size() < keys.size()) {
                String k = invalidated.poll(10, TimeUnit.SECONDS);
                assertNotNull(k, "invalidations from every shard; got " + got);
                got.add(k);
            }
            assertEquals(new HashSet<>(keys), got);
            assertEquals("new", redis.get(keys.get(2)), "commands still run while tracking");
        } finally {
            lettuce.shutdown();
        }
    }

    @Test
    void helloThreeWithAuthAndSetnameAndRepliesMergedInResp3Types() throws Exception {
        String s0 = keyOnShard(0, "m:");
        String s1 = keyOnShard(1, "m:");
        try (RawClient c = new RawClient(port)) {
            c.command("HELLO", "3", "AUTH", "default", "any", "SETNAME", "resp3-app");
            assertEquals("%7", c.line(), "a map");
            skip(c, 14);
            c.command("CLIENT", "GETNAME");
            assertEquals("resp3-app", c.reply());
            c.command("SADD", s0, "x", "y");
            c.line();
            c.command("SADD", s1, "y", "z");
            c.line();
            c.command("SUNION", s0, s1);  // merged by the proxy: a set, as one node answers in RESP3
            assertEquals("~3", c.line());
            Set<String> members = new HashSet<>();
            for (int k = 0; k < 3; k++) {
                members.add(c.reply());
            }
            assertEquals(Set.of("x", "y", "z"), members);
            c.command("MGET", keyOnShard(0, "none:"), keyOnShard(1, "none:"));  // nulls of two shards
            assertEquals(List.of("*2", "_", "_"), List.of(c.line(), c.line(), c.line()));
            c.command("SELECT", "7");
            c.line();
            c.command("RANDOMKEY");  // no shard has a key
            assertEquals("_", c.line());
            c.command("SELECT", "0");
            c.line();
            c.command("MULTI");
            c.line();
            c.command("ZINCRBY", s0 + "z", "1.5", "m");
            c.line();
            c.command("ZINCRBY", s1 + "z", "2.5", "m");
            c.line();
            c.command("EXEC");  // each shard's part, doubles as the engine encoded them
            assertEquals(List.of("*2", ",1.5", ",2.5"), List.of(c.line(), c.line(), c.line()));
            c.command("CONFIG", "GET", "maxclients");
            assertEquals("%1", c.line());
            assertEquals(List.of("maxclients", "80000"), List.of(c.reply(), c.reply()));
            c.command("FUNCTION", "STATS");
            assertEquals("%2", c.line(), "FUNCTION STATS merged over the shards, a map");
            skip(c, 4);
            c.command("HELLO", "2");
            assertEquals("*14", c.line(), "back to RESP2");
            skip(c, 14);
            c.command("CLIENT", "GETNAME");
            assertEquals("resp3-app", c.reply());
            c.command("GET", "m:none");
            assertEquals("$-1", c.line());
        }
    }

    @Test
    void withProxyResp3EnableOffHelloThreeAnswersNoproto() throws Exception {
        setParameter("proxy_resp3_enable", "0");
        try (RawClient c = new RawClient(port)) {
            c.command("HELLO", "3");
            assertEquals("-NOPROTO sorry, this protocol version is not supported", c.line());
            c.command("HELLO", "2");
            assertEquals("*14", c.line());
        } finally {
            setParameter("proxy_resp3_enable", "1");
        }
    }

    @Test
    void keyspaceEventsOfEveryShardReachASubscriber() throws Exception {
        List<String> keys = List.of(keyOnShard(0, "ks:"), keyOnShard(1, "ks:"), keyOnShard(2, "ks:"));
        setParameter("notify-keyspace-events", "KEA");
        try (PatternMessages events = new PatternMessages(port, "__keyspace@0__:ks:*", "__keyevent@0__:set");
             Jedis writer = jedis()) {
            keys.forEach(k -> writer.set(k, "v"));
            Set<String> expected = new HashSet<>();
            keys.forEach(k -> {
                expected.add("__keyspace@0__:" + k + " set");
                expected.add("__keyevent@0__:set " + k);
            });
            Set<String> got = new HashSet<>();
            while (got.size() < expected.size()) {
                String e = events.next();
                assertNotNull(e, "every shard's events; got " + got);
                got.add(e);
            }
            assertEquals(expected, got);
        } finally {
            setParameter("notify-keyspace-events", "");
        }
    }

    private void setParameter(String name, String value) {
        Instances.given().contentType(ContentType.JSON).body(Map.of(name, value))
                .when().patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
    }

    /** Reads {@code n} whole replies (flat values of a map or array already announced). */
    private static void skip(RawClient c, int n) throws Exception {
        for (int k = 0; k < n; k++) {
            String l = c.line();
            if (l.startsWith("$") && !l.equals("$-1")) {
                c.line();
            } else if (l.startsWith("*") || l.startsWith("~")) {
                skip(c, Integer.parseInt(l.substring(1)));
            } else if (l.startsWith("%")) {
                skip(c, 2 * Integer.parseInt(l.substring(1)));
            }
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
