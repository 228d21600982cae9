package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.PasswordInstance;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.kvsim.PasswordInstance.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AUTH as the service does it, on an instance with a password and on a password-free one. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyAuthTest {

    private PasswordInstance locked;
    private String id;
    private int port;
    private String freeId;
    private int freePort;

    @BeforeAll
    void createInstances() {
        locked = PasswordInstance.create();
        id = locked.id();
        port = locked.port();
        assertEquals("Open", locked.view().getString("vpcAuthMode"));
        JsonPath f = Instances.createSingle();
        freeId = f.getString("instanceId");
        freePort = f.getInt("port");
    }

    @AfterAll
    void deleteInstances() {
        locked.close();
        Instances.delete(freeId);
    }

    @Test
    void everyCommandButAuthNeedsAuthenticationFirst() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("GET", "k");
            assertEquals("-NOAUTH Authentication required.", c.line());
            c.command("SET", "k", "v");
            assertEquals("-NOAUTH Authentication required.", c.line());
            c.command("PING");
            assertEquals("-NOAUTH Authentication required.", c.line());
            c.command("HELLO", "3");
            assertTrue(c.line().startsWith("-NOAUTH HELLO must be called with the client already authenticated"));
            c.command("AUTH", PASSWORD);
            assertEquals("+OK", c.line());
            c.command("PING");
            assertEquals("+PONG", c.line());
        }
    }

    @Test
    void everyAuthFormOfTheServiceWorks() throws Exception {
        for (String[] form : new String[][]{
                {"AUTH", PASSWORD},
                {"AUTH", id + ":" + PASSWORD},
                {"AUTH", id, PASSWORD},
                {"AUTH", "default", PASSWORD}}) {
            try (RawClient c = new RawClient(port)) {
                c.command(form);
                assertEquals("+OK", c.line(), String.join(" ", form));
                c.command("PING");
                assertEquals("+PONG", c.line());
            }
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("OK", j.auth(PASSWORD));
            assertEquals("OK", j.set("jedis", "ok"));
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("OK", j.auth(id, PASSWORD));
            assertEquals("ok", j.get("jedis"));
        }
    }

    @Test
    void wrongPasswordsAreRefusedWithWrongpass() throws Exception {
        try (RawClient c = new RawClient(port)) {
            for (String[] form : new String[][]{
                    {"AUTH", "Wrong0ne!"},
                    {"AUTH", id + ":Wrong0ne!"},
                    {"AUTH", id, "Wrong0ne!"},
                    {"AUTH", "someone", PASSWORD},
                    {"AUTH", "r-000000000000000000:" + PASSWORD}}) {
                c.command(form);
                assertEquals("-WRONGPASS invalid username-password pair", c.line(), String.join(" ", form));
            }
            c.command("GET", "k");
            assertEquals("-NOAUTH Authentication required.", c.line(), "still not authenticated");
            c.command("AUTH");
            assertEquals("-ERR wrong number of arguments for 'auth' command", c.line());
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.auth("Wrong0ne!"));
            assertEquals("WRONGPASS invalid username-password pair", e.getMessage());
        }
    }

    @Test
    void helloWithAuthAuthenticatesAndSelectsTheProtocol() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("HELLO", "3", "AUTH", id, "Wrong0ne!");
            assertEquals("-WRONGPASS invalid username-password pair", c.line());
            c.command("HELLO", "3", "AUTH", "default", PASSWORD, "SETNAME", "hello-client");
            assertTrue(c.line().startsWith("%"), "a RESP3 map");
        }
        Vertx vertx = Vertx.vertx();
        try {
            // The Vert.x client authenticates with HELLO ... AUTH when it negotiates the protocol.
            Redis client = Redis.createClient(vertx, new RedisOptions()
                    .setConnectionString("redis://127.0.0.1:" + port).setPassword(PASSWORD));
            String pong = client.send(Request.cmd(Command.PING)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).toString();
            assertEquals("PONG", pong);
            client.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void resetEndsTheAuthenticationAsOnTheEngine() throws Exception {
        try (RawClient c = locked.authenticated()) {
            c.command("SELECT", "7").command("SET", "r", "1").command("RESET").command("GET", "r");
            assertEquals("+OK", c.line());
            assertEquals("+OK", c.line());
            assertEquals("+RESET", c.line());
            assertEquals("-NOAUTH Authentication required.", c.line());
            c.command("AUTH", PASSWORD).command("GET", "r").command("SELECT", "7").command("GET", "r");
            assertEquals("+OK", c.line());
            assertEquals(null, c.reply(), "RESET went back to DB 0");
            assertEquals("+OK", c.line());
            assertEquals("1", c.reply());
        }
    }

    @Test
    void passwordFreeInstancesAdmitEveryoneAndAcceptAnyAuth() throws Exception {
        try (RawClient c = new RawClient(freePort)) {
            c.command("PING");
            assertEquals("+PONG", c.line());
            c.command("AUTH", "anything");
            assertEquals("+OK", c.line());
            c.command("AUTH", "user", "anything");
            assertEquals("+OK", c.line());
        }
    }

    /** Password-free admits anyone as the default account, but naming an account needs its password. */
    @Test
    void passwordFreeInstancesStillCheckTheirAccountsInEveryAuthForm() throws Exception {
        Instances.createAccount(freeId, "reporting", "Reader0nly!", "RoleReadOnly").statusCode(201);
        try (RawClient c = new RawClient(freePort)) {
            for (String[] form : new String[][]{{"AUTH", "reporting:Wrong0ne!"}, {"AUTH", "reporting", "Wrong0ne!"}}) {
                c.command(form);
                assertEquals("-WRONGPASS invalid username-password pair", c.line(), String.join(" ", form));
            }
            c.command("AUTH", "reporting:Reader0nly!");
            assertEquals("+OK", c.line());
            c.command("SET", "k", "v");
            assertTrue(c.line().startsWith("-NOPERM"), "runs as the read-only account");
        } finally {
            Instances.given().delete("/api/v1/instances/" + freeId + "/accounts/reporting").then().statusCode(204);
        }
    }

    @Test
    void theNodePortCannotBeUsedWithoutKvsimsSecret() throws Exception {
        int nodePort = Instances.given().get("/api/v1/instances/" + id).then().extract().path("nodes[0].port");
        try (RawClient c = new RawClient(nodePort)) {
            c.command("AUTH", PASSWORD);
            assertTrue(c.line().startsWith("-WRONGPASS"), "the instance password does not open the node");
            c.command("GET", "k");
            assertEquals("-NOAUTH Authentication required.", c.line());
        }
    }
}
