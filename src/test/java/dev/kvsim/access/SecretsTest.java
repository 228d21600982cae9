package dev.kvsim.access;

import dev.kvsim.Instances;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import org.flywaydb.core.Flyway;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets are their owner's alone: the data directory, the store, every node's config, AOF, RDB
 * and logs; kvsim's node password is on no command line; the store holds password hashes only.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsTest {

    static final String PASSWORD = "Passw0rd!";
    static final String RO_PASSWORD = "Reader0nly!";

    @ConfigProperty(name = "kvsim.data-dir")
    Path dataDir;

    @Inject
    InstanceStore instances;

    @Inject
    AccountStore accounts;

    @Inject
    Flyway flyway;

    private String id;
    private int port;

    @BeforeAll
    void createInstance() throws Exception {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.small.default", "password", PASSWORD,
                "overrides", Map.of("memoryMb", 64)));
        id = i.getString("instanceId");
        port = i.getInt("port");
        given().contentType(ContentType.JSON)
                .body(Map.of("accountName", "reporting", "accountPassword", RO_PASSWORD, "accountPrivilege", "RoleReadOnly"))
                .post("/api/v1/instances/" + id + "/accounts").then().statusCode(201);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.auth(PASSWORD);
            j.set("k", "v");
            assertEquals(1L, j.waitReplicas(1, 2000));
        }
    }

    @AfterAll
    void deleteInstance() {
        Instances.delete(id);
    }

    @Test
    void theDataDirectoryTheStoreAndEveryNodeFileAreTheOwnersAlone() throws Exception {
        assertEquals("rwx------", mode(dataDir));
        Path instanceDir = dataDir.resolve("instances").resolve(id);
        List<Path> checked = new ArrayList<>();
        for (Path tree : List.of(dataDir.resolve("store"), instanceDir)) {
            try (Stream<Path> walk = Files.walk(tree)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), p.toString());
                    checked.add(dataDir.relativize(p));
                }
            }
        }
        String files = checked.toString();
        for (String expected : List.of("store/kvsim.mv.db", id + "-db-0/redis.conf", id + "-db-0/redis.log",
                id + "-db-0/stdout.log", id + "-db-0/appendonlydir", id + "-db-1/dump.rdb", id + "-db-1/appendonlydir")) {
            assertTrue(checked.stream().anyMatch(p -> p.toString().endsWith(expected)), expected + " in " + files);
        }
        try (Stream<Path> aof = Files.list(instanceDir.resolve(id + "-db-0/appendonlydir"))) {
            assertFalse(aof.toList().isEmpty(), "the master's AOF files are checked too");
        }
    }

    @Test
    void kvsimsNodePasswordIsOnNoCommandLine() throws Exception {
        StoredInstance i = instances.require(id);
        String secret = i.internalPassword();
        List<Object> pids = Instances.get(id).getList("nodes.pid");
        assertEquals(2, pids.size());
        for (Object pid : pids) {
            ProcessHandle node = ProcessHandle.of(((Number) pid).longValue()).orElseThrow();
            ProcessHandle watchdog = node.parent().orElseThrow();
            for (ProcessHandle h : List.of(node, watchdog)) {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"), StandardCharsets.UTF_8);
                assertFalse(cmdline.isEmpty());
                assertFalse(cmdline.contains(secret), "pid " + h.pid() + ": " + cmdline);
            }
        }
        Path conf = dataDir.resolve("instances").resolve(id).resolve(id + "-db-0").resolve("redis.conf");
        assertTrue(Files.readString(conf).contains(secret), "the config, readable by its owner only, holds it");
    }

    @Test
    void theStoreKeepsPasswordHashesOnlyAndTheyStillAuthenticate() throws Exception {
        String instanceHash = instances.require(id).passwordHash();
        String accountHash = accounts.find(id, "reporting").orElseThrow().passwordHash();
        assertTrue(PasswordHash.isHash(instanceHash) && PasswordHash.matches(instanceHash, PASSWORD), instanceHash);
        assertTrue(PasswordHash.isHash(accountHash) && PasswordHash.matches(accountHash, RO_PASSWORD), accountHash);
        assertTrue(java.util.Arrays.stream(flyway.info().applied()).anyMatch(m -> "21".equals(m.getVersion().getVersion())),
                "kvsim ran the migration that hashes an earlier store's passwords");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("OK", j.auth(PASSWORD));
            assertEquals("OK", j.auth("reporting", RO_PASSWORD));
            assertEquals("OK", j.auth(id + ":" + PASSWORD));
            JedisDataException wrong = assertThrows(JedisDataException.class, () -> j.auth(PASSWORD.toLowerCase()));
            assertEquals("WRONGPASS invalid username-password pair", wrong.getMessage());
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
