package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.PasswordInstance;
import dev.kvsim.RawClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standard instance behaves as its engine major version's last release, whatever engine kvsim runs: what came
 * later is refused with that release's own text; INFO and COMMAND tell the release; clients negotiate as with it.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineVersionsTest {

    private PasswordInstance v5;
    private int v6;
    private int v7;
    private String v6Id;
    private String v7Id;
    private Vertx vertx;

    @BeforeAll
    void createInstances() {
        v5 = PasswordInstance.create("redis.basic.micro.default", Map.of("majorVersion", "5.0"));
        var six = Instances.create(Map.of("instanceClass", "redis.basic.micro.default", "majorVersion", "6.0"));
        v6 = six.getInt("port");
        v6Id = six.getString("instanceId");
        var seven = Instances.create(Map.of("instanceClass", "redis.basic.micro.default"));
        assertEquals("7.0", seven.getString("majorVersion"));  // the engine's own, by default
        v7 = seven.getInt("port");
        v7Id = seven.getString("instanceId");
        vertx = Vertx.vertx();
    }

    @AfterAll
    void deleteInstances() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        v5.close();
        Instances.delete(v6Id);
        Instances.delete(v7Id);
    }

    private Jedis five() {
        Jedis j = new Jedis("127.0.0.1", v5.port());
        j.auth(PasswordInstance.PASSWORD);
        return j;
    }

    @Test
    void aFiveZeroInstanceRefusesWhatCameLaterWithFiveZerosTexts() {
        try (Jedis j = five()) {
            j.set("k", "v");
            j.rpush("l", "a");
            assertEquals("ERR unknown command `GETDEL`, with args beginning with: `k`, ",
                    assertThrows(JedisDataException.class, () -> j.getDel("k")).getMessage());
            assertEquals("ERR syntax error", assertThrows(JedisDataException.class, () -> j.setGet("k", "w")).getMessage());
            assertEquals("ERR syntax error",
                    assertThrows(JedisDataException.class, () -> j.set("k", "w", SetParams.setParams().keepTtl())).getMessage());
            assertEquals("ERR unknown command `LPOS`, with args beginning with: `l`, `a`, ",
                    assertThrows(JedisDataException.class, () -> j.lpos("l", "a")).getMessage());
            assertEquals("ERR unknown command `HELLO`, with args beginning with: `3`, ",
                    assertThrows(JedisDataException.class, () -> j.sendCommand(Protocol.Command.HELLO, "3")).getMessage());
            assertEquals("ERR Unknown subcommand or wrong number of arguments for 'INFO'. Try CLIENT HELP",
                    assertThrows(JedisDataException.class, () -> j.clientInfo()).getMessage());
            assertEquals("ERR wrong number of arguments for 'lpop' command",
                    assertThrows(JedisDataException.class, () -> j.lpop("l", 2)).getMessage());
            assertEquals("v", j.get("k"));  // nothing refused ran
            assertEquals(List.of("a"), j.lrange("l", 0, -1));
            // what 5.0 had runs as before
            assertEquals("OK", j.set("k", "x", SetParams.setParams().ex(100).xx()));
            assertEquals(1L, j.zadd("z", 1, "GT"));  // a member that reads like a newer option is data
        }
    }

    @Test
    void aSixZeroInstanceSpeaksResp3ButRefusesWhatSixTwoBrought() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", v6)) {
            j.set("k", "v");
            j.rpush("l", "a", "b");
            assertEquals("ERR unknown command `GETDEL`, with args beginning with: `k`, ",
                    assertThrows(JedisDataException.class, () -> j.getDel("k")).getMessage());
            assertEquals("ERR syntax error", assertThrows(JedisDataException.class, () -> j.setGet("k", "w")).getMessage());
            assertEquals("ERR Unknown subcommand or wrong number of arguments for 'INFO'. Try CLIENT HELP",
                    assertThrows(JedisDataException.class, () -> j.clientInfo()).getMessage());
            assertEquals(1L, j.lpos("l", "b"));  // 6.0.6
            assertEquals("OK", j.set("k", "w", SetParams.setParams().keepTtl()));  // 6.0
        }
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + v6)
                .setPreferredProtocolVersion(ProtocolVersion.RESP3));
        RedisConnection c = client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Response hello = await(c.send(Request.cmd(io.vertx.redis.client.Command.HELLO).arg(3)));
            assertEquals(3, hello.get("proto").toInteger());
            assertEquals("6.0.20", hello.get("version").toString());  // HELLO's version is the engine's: rewritten
        } finally {
            c.close();
            client.close();
        }
    }

    @Test
    void aSevenZeroInstanceAcceptsThemAll() {
        try (Jedis j = new Jedis("127.0.0.1", v7)) {
            j.set("k", "v");
            j.rpush("l", "a");
            assertEquals("v", j.setGet("k", "w"));
            assertEquals("w", j.getDel("k"));
            assertEquals(0L, j.lpos("l", "a"));
            assertTrue(j.clientInfo().contains("laddr="));
            assertInstanceOf(List.class, j.sendCommand(Protocol.Command.HELLO, "3"));
        }
    }

    @Test
    void infoServerAndCommandTellTheRelease() {
        try (Jedis j = five(); Jedis six = new Jedis("127.0.0.1", v6); Jedis seven = new Jedis("127.0.0.1", v7)) {
            assertTrue(j.info("server").contains("redis_version:5.0.14\r\n"), j.info("server"));
            assertTrue(six.info().contains("redis_version:6.0.20\r\n"));
            assertTrue(seven.info("server").contains("redis_version:7.0.15\r\n"));
            // COMMAND COUNT as 5.0.14 and 6.0.20 answer it (6.0's STRALGO is gone from the 7.0 engine: 204, not 205)
            assertEquals(200L, j.commandCount());
            assertEquals(204L, six.commandCount());
            List<Object> entries = (List<Object>) j.sendCommand(Protocol.Command.COMMAND, "INFO", "get", "getdel", "host:");
            assertEquals(6, ((List<?>) entries.get(0)).size());  // 5.0's entries: name, arity, flags, first, last, step
            assertNull(entries.get(1));
            assertEquals(6, ((List<?>) entries.get(2)).size());
            assertEquals(200, ((List<?>) j.sendCommand(Protocol.Command.COMMAND)).size());
            List<Object> sixGet = (List<Object>) ((List<Object>) six.sendCommand(Protocol.Command.COMMAND, "INFO", "get")).get(0);
            assertEquals(7, sixGet.size());  // 6.0 adds the ACL categories
        }
    }

    @Test
    void clientsNegotiateTheProtocolAsWithTheRelease() throws Exception {
        // the Vert.x client asks HELLO 3 with AUTH; on the release's "unknown command" it falls back to AUTH and RESP2
        Redis client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString("redis://:" + PasswordInstance.PASSWORD + "@127.0.0.1:" + v5.port())
                .setPreferredProtocolVersion(ProtocolVersion.RESP3));
        RedisConnection c = client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            await(c.send(Request.cmd(io.vertx.redis.client.Command.SET).arg("vx").arg("1")));
            assertEquals("1", await(c.send(Request.cmd(io.vertx.redis.client.Command.GET).arg("vx"))).toString());
        } finally {
            c.close();
            client.close();
        }
        // Lettuce does the same; its RESP3-only features are then refused as 5.0 refuses them
        RedisClient lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(v5.port())
                .withPassword(PasswordInstance.PASSWORD.toCharArray()).build());
        try (StatefulRedisConnection<String, String> l = lettuce.connect()) {
            assertEquals("OK", l.sync().set("lt", "1"));
            RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                    () -> l.sync().getdel("lt"));
            assertEquals("ERR unknown command `GETDEL`, with args beginning with: `lt`, ", e.getMessage());
        } finally {
            lettuce.shutdown();
        }
    }

    @Test
    void inMultiAnUnknownCommandAbortsAndASyntaxErrorTakesItsPlace() {
        try (Jedis j = five()) {
            Transaction t = j.multi();
            t.set("tx", "1");
            t.setGet("tx", "2");
            List<Object> results = t.exec();
            assertEquals("OK", results.get(0));
            assertEquals("ERR syntax error", ((JedisDataException) results.get(1)).getMessage());
            assertEquals("1", j.get("tx"));
            Transaction aborted = j.multi();
            aborted.set("tx", "3");
            aborted.getDel("tx");
            JedisDataException e = assertThrows(JedisDataException.class, aborted::exec);
            assertEquals("EXECABORT Transaction discarded because of previous errors.", e.getMessage());
            assertEquals("1", j.get("tx"));
        }
    }

    @Test
    void beforeLoggingInTheReleasesAuthAndHelloApply() throws Exception {
        try (RawClient c = new RawClient(v5.port())) {
            assertEquals("-ERR unknown command `HELLO`, with args beginning with: `3`, `AUTH`, `default`, `Passw0rd!`, ",
                    c.command("HELLO", "3", "AUTH", "default", PasswordInstance.PASSWORD).line());
            assertEquals("-ERR wrong number of arguments for 'auth' command",
                    c.command("AUTH", "default", PasswordInstance.PASSWORD).line());  // AUTH <user> <password> is 6.0's
            assertEquals("-NOAUTH Authentication required.", c.command("GET", "k").line());
            assertEquals("+OK", c.command("AUTH", v5.id() + ":" + PasswordInstance.PASSWORD).line());
        }
    }

    private static Response await(io.vertx.core.Future<Response> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
