package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.NodesDown;
import dev.kvsim.RawClient;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.lifecycle.InstanceProvisioner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The places of a standard instance's proxy that answered {@code ERR kvsim: …} (docs/proxy.md, "What
 * the proxy answers instead of kvsim's own texts"), one test each: each now answers what a client of
 * the service sees.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormerKvsimErrorsTest {

    private static final String PASSWORD = "Passw0rd!";
    private static final String READER_PASSWORD = "Reader0nly!";

    @Inject
    InstanceProvisioner provisioner;

    @Inject
    InstanceStore store;

    private String id;
    private int port;

    @BeforeAll
    void createInstance() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.small.default", "password", PASSWORD,
                "overrides", Map.of("memoryMb", 64)));
        id = i.getString("instanceId");
        port = i.getInt("port");
        Instances.given().contentType(ContentType.JSON)
                .body(Map.of("accountName", "reader", "accountPassword", READER_PASSWORD, "accountPrivilege", "RoleReadOnly"))
                .post("/api/v1/instances/" + id + "/accounts").then().statusCode(201);
    }

    @AfterAll
    void deleteInstance() {
        Instances.delete(id);
    }

    /** Was {@code ERR kvsim: the instance is not running yet}: the connection is refused. */
    @Test
    void whileTheNodesAreNotUpAConnectionIsRefused() throws Exception {
        NodesDown.meanwhile(provisioner.running(id).orElseThrow().proxy(),
                () -> assertTrue(RawClient.refusedAt(port), "refused, with no reply"));
        try (Jedis j = jedis()) {
            assertEquals("PONG", j.ping());
        }
    }

    /** Was {@code ERR kvsim: the instance's master node is not reachable}: the connection is refused. */
    @Test
    void whileNoMasterRunsAConnectionIsRefused() throws Exception {
        int events = Instances.eventCount(id);
        Instances.fault(id, Map.of("type", "kill_shard", "target", Map.of("shard", 0), "durationMs", 1000));
        try {
            assertTrue(RawClient.refusedAt(port), "refused, with no reply");
        } finally {
            Instances.awaitEvent(id, "NodeReplaced", events);  // the fault's end brings the shard back
            Instances.awaitStatus(id, "Normal");
        }
        try (Jedis j = jedis()) {
            assertEquals("PONG", j.ping());
        }
    }

    /** Was {@code ERR kvsim: RESET while in MONITOR mode is not supported}: RESET ends MONITOR, as on the engine. */
    @Test
    void resetEndsMonitorAsOnTheEngine() throws Exception {
        try (RawClient c = new RawClient(port); Jedis other = jedis()) {
            c.command("RESET");
            assertEquals("+RESET", c.line(), "as on the engine, RESET needs no authentication");
            c.command("AUTH", PASSWORD);
            assertEquals("+OK", c.line());
            c.command("MONITOR");
            assertEquals("+OK", c.line());
            other.set("monitored", "1");
            assertTrue(c.line().contains("\"SET\" \"monitored\" \"1\""));
            c.command("RESET");
            String l;
            do {
                l = c.line();  // what ran before the RESET, then its reply
            } while (!l.equals("+RESET"));
            c.command("GET", "monitored");
            assertEquals("-NOAUTH Authentication required.", c.line(), "RESET logged the connection out");
            c.command("AUTH", PASSWORD);
            assertEquals("+OK", c.line());
            other.set("after", "2");
            c.command("GET", "monitored");
            assertEquals("1", c.reply(), "no monitor output any more: replies only");
        }
    }

    /** Was {@code ERR kvsim: AUTH as another account inside MULTI is not supported}: queued, effective at EXEC. */
    @Test
    void authAsAnotherAccountInsideMultiIsQueuedAndTakesEffectWithExec() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("AUTH", PASSWORD);
            assertEquals("+OK", c.line());
            c.command("MULTI");
            assertEquals("+OK", c.line());
            c.command("SET", "tx:before", "1");
            assertEquals("+QUEUED", c.line());
            c.command("AUTH", "reader", READER_PASSWORD);
            assertEquals("+QUEUED", c.line());
            c.command("EXEC");
            assertEquals(List.of("*2", "+OK", "+OK"), List.of(c.line(), c.line(), c.line()));
            c.command("SET", "tx:after", "1");
            assertTrue(c.line().startsWith("-NOPERM"), "the connection is the read-only account's from EXEC on");
            c.command("GET", "tx:before");
            assertEquals("1", c.reply());
        }
    }

    /** Was {@code ERR kvsim: the instance's master node refused kvsim's credentials}: the connection closes. */
    @Test
    void whenTheNodeRefusesKvsimsLoginTheConnectionCloses() throws Exception {
        String internal = store.require(id).internalPassword();
        int nodePort = Instances.get(id).getInt("nodes.find { it.role == 'master' }.port");
        try (Jedis node = new Jedis("127.0.0.1", nodePort)) {
            node.auth(internal);
            node.configSet("requirepass", "not-kvsims-any-more");
            try (RawClient c = new RawClient(port)) {
                assertTrue(c.closedByServer(), "closed, with no reply");  // kvsim logs in as the connection opens
            } finally {
                node.configSet("requirepass", internal);
            }
        }
        try (Jedis j = jedis()) {
            assertEquals("PONG", j.ping());
        }
    }

    private Jedis jedis() {
        Jedis j = new Jedis("127.0.0.1", port);
        j.auth(PASSWORD);
        return j;
    }
}
