package dev.kvsim.access;

import dev.kvsim.Instances;
import dev.kvsim.PasswordInstance;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static dev.kvsim.PasswordInstance.PASSWORD;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accounts: read-only and read-write privileges enforced by the engine, passwords, and bad input. */
@QuarkusTest
class AccountTest {

    static final String RO_PASSWORD = "Reader0nly!";
    static final String RW_PASSWORD = "Wr1ter!pass";

    private PasswordInstance instance;
    private String id;
    private int port;

    @BeforeEach
    void createInstance() {
        instance = PasswordInstance.create("redis.master.micro.default", Map.of());
        id = instance.id();
        port = instance.port();
    }

    @AfterEach
    void deleteInstance() {
        instance.close();
    }

    private ValidatableResponse createAccount(String name, String password, String privilege) {
        return Instances.createAccount(id, name, password, privilege);
    }

    private ValidatableResponse put(String path, Map<String, String> body) {
        return given().contentType(ContentType.JSON).body(body).put("/api/v1/instances/" + id + "/accounts/" + path).then();
    }

    private Jedis connect(String user, String password) {
        Jedis j = new Jedis("127.0.0.1", port);
        j.auth(user, password);
        return j;
    }

    @Test
    void readOnlyAccountsReadButTheirWritesGetNopermAndWriteNothing() {
        createAccount("reporting", RO_PASSWORD, "RoleReadOnly").statusCode(201)
                .body("accountName", equalTo("reporting")).body("accountPrivilege", equalTo("RoleReadOnly"));
        createAccount("writer", RW_PASSWORD, "RoleReadWrite").statusCode(201);
        given().get("/api/v1/instances/" + id + "/accounts").then().statusCode(200)
                .body("accountName", contains(id, "reporting", "writer"))
                .body("[0].accountType", equalTo("Default"))
                .body("findAll { it.containsKey('accountPassword') }", hasSize(0))
                .body("[1]", hasKey("accountPrivilege"));

        try (Jedis writer = connect("writer", RW_PASSWORD); Jedis reader = new Jedis("127.0.0.1", port)) {
            writer.set("report:1", "42");
            reader.auth("reporting:" + RO_PASSWORD);
            assertEquals("42", reader.get("report:1"));
            JedisDataException noperm = assertThrows(JedisDataException.class, () -> reader.set("report:2", "x"));
            assertEquals(nopermText("set"), noperm.getMessage());
            JedisDataException del = assertThrows(JedisDataException.class, () -> reader.del("report:1"));
            assertEquals(nopermText("del"), del.getMessage());
            assertNull(writer.get("report:2"), "nothing was written");
            assertEquals("42", writer.get("report:1"));

            put("reporting/privilege", Map.of("accountPrivilege", "RoleReadWrite")).statusCode(200)
                    .body("accountPrivilege", equalTo("RoleReadWrite"));
            reader.set("report:2", "now allowed");
            assertEquals("now allowed", writer.get("report:2"));
        }
    }

    @Test
    void theReadOnlyRuleSurvivesARestartOfTheNodes() {
        createAccount("reporting", RO_PASSWORD, "RoleReadOnly").statusCode(201);
        given().post("/api/v1/instances/" + id + "/restart?wait=true").then().statusCode(200);
        try (Jedis reader = connect("reporting", RO_PASSWORD)) {
            assertEquals("PONG", reader.ping());
            JedisDataException noperm = assertThrows(JedisDataException.class, () -> reader.set("k", "v"));
            assertEquals(nopermText("set"), noperm.getMessage());
        }
    }

    @Test
    void readOnlyAccountsCannotChangeTheServersStateButRunItsReads() {
        createAccount("reporting", RO_PASSWORD, "RoleReadOnly").statusCode(201);
        try (Jedis owner = connect(id, PASSWORD); Jedis reader = connect("reporting", RO_PASSWORD)) {
            owner.set("k", "v");
            owner.clientSetname("owner");
            String[][] refused = {
                    {"client|kill", "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"},
                    {"client|pause", "CLIENT", "PAUSE", "1500", "WRITE"},
                    {"client|unpause", "CLIENT", "UNPAUSE"},
                    {"client|no-evict", "CLIENT", "NO-EVICT", "on"},
                    {"script|flush", "SCRIPT", "FLUSH"},
                    {"script|kill", "SCRIPT", "KILL"},
                    {"function|load", "FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)"},
                    {"function|delete", "FUNCTION", "DELETE", "lib"},
                    {"function|flush", "FUNCTION", "FLUSH"},
                    {"function|restore", "FUNCTION", "RESTORE", "x"},
                    {"function|kill", "FUNCTION", "KILL"},
                    {"config|resetstat", "CONFIG", "RESETSTAT"},
                    {"slowlog|reset", "SLOWLOG", "RESET"},
                    {"latency|reset", "LATENCY", "RESET"},
                    {"acl|log", "ACL", "LOG", "RESET"},
                    {"memory|purge", "MEMORY", "PURGE"},
                    {"flushall", "FLUSHALL"}};
            for (String[] c : refused) {
                String[] args = java.util.Arrays.copyOfRange(c, 2, c.length);
                JedisDataException e = assertThrows(JedisDataException.class,
                        () -> reader.sendCommand(() -> c[1].getBytes(java.nio.charset.StandardCharsets.UTF_8), args), c[0]);
                assertEquals(nopermText(c[0]), e.getMessage());
            }
            assertEquals("v", owner.get("k"), "the owner's connection was not killed, nor its writes paused");
            owner.set("k", "still writable");

            // what a read-only user of the service runs
            assertTrue(reader.info().contains("redis_version"));
            assertEquals(java.util.Set.of("k"), reader.keys("*"));
            assertEquals(List.of("k"), reader.scan("0").getResult());
            assertEquals("maxmemory-policy", reader.configGet("maxmemory-policy").keySet().iterator().next());
            reader.slowlogGet();
            assertTrue(reader.clientList().contains("name=owner"), "CLIENT LIST shows the other connections");
            assertEquals("still writable", reader.get("k"));
        }
    }

    /** The engine's (Redis 7) refusal of a command the user's ACL rules exclude, as Jedis reports it. */
    static String nopermText(String command) {
        return "NOPERM this user has no permissions to run the '" + command + "' command";
    }

    @Test
    void aConnectionOpenWhileItsAccountBecomesReadOnlyGetsNopermAtOnce() {
        createAccount("app", RW_PASSWORD, "RoleReadWrite").statusCode(201);
        try (Jedis app = connect("app", RW_PASSWORD); Jedis owner = connect(id, PASSWORD)) {
            app.set("k", "before");
            put("app/privilege", Map.of("accountPrivilege", "RoleReadOnly")).statusCode(200)
                    .body("accountPrivilege", equalTo("RoleReadOnly"));
            JedisDataException noperm = assertThrows(JedisDataException.class, () -> app.set("k", "after"));
            assertEquals(nopermText("set"), noperm.getMessage());
            assertEquals("before", app.get("k"), "the same connection still reads");
            assertEquals("before", owner.get("k"), "nothing was written");
        }
    }

    @Test
    void passwordChangesKeepOpenConnectionsAuthenticated() {
        createAccount("app", RW_PASSWORD, "RoleReadWrite").statusCode(201);
        try (Jedis app = connect("app", RW_PASSWORD); Jedis owner = connect(id, PASSWORD)) {
            put("app/password", Map.of("accountPassword", "N3w!password")).statusCode(204);
            put(id + "/password", Map.of("accountPassword", "N3w!instance")).statusCode(204);
            app.set("still", "in");
            assertEquals("in", owner.get("still"));
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            JedisDataException old = assertThrows(JedisDataException.class, () -> j.auth("app", RW_PASSWORD));
            assertEquals("WRONGPASS invalid username-password pair", old.getMessage());
            assertThrows(JedisDataException.class, () -> j.auth(PASSWORD));
            j.auth("app", "N3w!password");
            j.auth("N3w!instance");
            assertEquals("in", j.get("still"));
        }
    }

    @Test
    void deletingAnAccountEndsItsConnectionsAndItsLogins() {
        createAccount("temp", RW_PASSWORD, "RoleReadWrite").statusCode(201);
        try (Jedis temp = connect("temp", RW_PASSWORD)) {
            given().delete("/api/v1/instances/" + id + "/accounts/temp").then().statusCode(204);
            assertThrows(JedisException.class, () -> {
                temp.ping();
                temp.ping();
            });
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertThrows(JedisDataException.class, () -> j.auth("temp", RW_PASSWORD));
        }
        given().get("/api/v1/instances/" + id + "/accounts").then().body("accountName", contains(id));
    }

    @Test
    void badInputAnswersClearErrors() {
        createAccount("Bad-Name", RW_PASSWORD, "RoleReadWrite").statusCode(400).body("code", equalTo("InvalidParameter"))
                .body("message", equalTo("The account name 'Bad-Name' is not valid: 2 to 35 characters, lower-case "
                        + "letters, digits and underscores, starting with a letter and ending with a letter or digit."));
        createAccount("default", RW_PASSWORD, "RoleReadWrite").statusCode(400)
                .body("message", equalTo("The account name 'default' is reserved."));
        createAccount("weak", "password", "RoleReadWrite").statusCode(400).body("code", equalTo("InvalidPassword.Malformed"));
        createAccount("app", RW_PASSWORD, "RoleAdmin").statusCode(400)
                .body("message", equalTo("accountPrivilege must be RoleReadOnly or RoleReadWrite; got 'RoleAdmin'."));
        createAccount("app", RW_PASSWORD, "RoleReadWrite").statusCode(201);
        createAccount("app", RW_PASSWORD, "RoleReadWrite").statusCode(409).body("code", equalTo("InvalidAccountName.Duplicate"));
        put("nobody/password", Map.of("accountPassword", RW_PASSWORD)).statusCode(404)
                .body("code", equalTo("InvalidAccountName.NotFound"));
        put("app/password", Map.of("accountPassword", "short")).statusCode(400)
                .body("message", equalTo("The password must be 8 to 32 characters long."));
        put(id + "/privilege", Map.of("accountPrivilege", "RoleReadOnly")).statusCode(400);
        given().delete("/api/v1/instances/" + id + "/accounts/" + id).then().statusCode(400)
                .body("message", equalTo("The default account cannot be deleted."));
        given().contentType(ContentType.JSON).post("/api/v1/instances/" + id + "/accounts").then().statusCode(400);
        given().get("/api/v1/instances/r-nosuchinstance0000/accounts").then().statusCode(404);
        try (Jedis j = connect("app", RW_PASSWORD)) {
            assertEquals("PONG", j.ping(), "the account made before the errors still works");
        }
    }
}
