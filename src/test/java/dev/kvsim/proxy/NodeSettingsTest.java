package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.PasswordInstance;
import dev.kvsim.RawClient;
import dev.kvsim.instance.InstanceStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated node settings (idle timeout, persistence, read-only replica) and QUIT before AUTH. */
@QuarkusTest
class NodeSettingsTest {

    @Inject
    InstanceStore store;

    @Test
    void idleClientsAreNeverClosedAndASingleReplicaNodePersistsNothing() {
        JsonPath i = Instances.createSingle();
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            assertEquals(Map.of("timeout", "0"), j.configGet("timeout"));
            assertEquals(Map.of("save", ""), j.configGet("save"));
            assertEquals(Map.of("appendonly", "no"), j.configGet("appendonly"));
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }

    /** Dialled directly with kvsim's own password, the replica refuses writes. */
    @Test
    void aDualReplicaReplicaRefusesWrites() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try {
            int replicaPort = i.getInt("nodes.find { it.role == 'replica' }.port");
            try (Jedis replica = new Jedis("127.0.0.1", replicaPort)) {
                replica.auth(store.require(id).internalPassword());
                assertEquals(Map.of("replica-read-only", "yes"), replica.configGet("replica-read-only"));
                JedisDataException e = assertThrows(JedisDataException.class, () -> replica.set("k", "v"));
                assertEquals("READONLY You can't write against a read only replica.", e.getMessage());
            }
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void quitBeforeAuthAnswersOkAndCloses() throws Exception {
        try (PasswordInstance i = PasswordInstance.create()) {
            assertQuitBeforeAuth(i.port());
        }
    }

    @Test
    void quitBeforeAuthAnswersOkAndClosesOnAClusterInstance() throws Exception {
        try (PasswordInstance i = PasswordInstance.create("redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                Map.of("overrides", Map.of("shardCount", 2, "memoryMb", 64)))) {
            assertQuitBeforeAuth(i.port());
        }
    }

    private static void assertQuitBeforeAuth(int port) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.command("GET", "k");
            assertEquals("-NOAUTH Authentication required.", c.line());
            c.command("QUIT");
            assertEquals("+OK", c.line());
            assertTrue(c.closedByServer(), "QUIT closes the connection");
        }
    }
}
