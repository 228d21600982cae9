package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated node settings (idle timeout, persistence, read-only replica) and QUIT before AUTH. */
@QuarkusTest
class NodeSettingsTest {

    private static final String PASSWORD = "Passw0rd!";

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

    /** Dialled directly with kvsim's own password (from the node's redis.conf), the replica refuses writes. */
    @Test
    void aDualReplicaReplicaRefusesWrites() throws Exception {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try {
            String replicaId = i.getString("nodes.find { it.role == 'replica' }.nodeId");
            int replicaPort = i.getInt("nodes.find { it.role == 'replica' }.port");
            try (Jedis replica = new Jedis("127.0.0.1", replicaPort)) {
                replica.auth(internalPassword(id, replicaId));
                assertEquals(Map.of("replica-read-only", "yes"), replica.configGet("replica-read-only"));
                JedisDataException e = assertThrows(JedisDataException.class, () -> replica.set("k", "v"));
                assertEquals("READONLY You can't write against a read only replica.", e.getMessage());
            }
        } finally {
            Instances.delete(id);
        }
    }

    private static String internalPassword(String instanceId, String nodeId) throws Exception {
        Path conf = Path.of(ConfigProvider.getConfig().getValue("kvsim.data-dir", String.class))
                .resolve("instances").resolve(instanceId).resolve(nodeId).resolve("redis.conf");
        return Files.readAllLines(conf).stream().filter(l -> l.startsWith("requirepass "))
                .map(l -> l.substring("requirepass ".length()).replace("\"", "")).findFirst().orElseThrow();
    }

    @Test
    void quitBeforeAuthAnswersOkAndCloses() throws Exception {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.basic.micro.default", "password", PASSWORD));
        try {
            assertQuitBeforeAuth(i.getInt("port"));
        } finally {
            Instances.delete(i.getString("instanceId"));
        }
    }

    @Test
    void quitBeforeAuthAnswersOkAndClosesOnAClusterInstance() throws Exception {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                "password", PASSWORD, "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        try {
            assertQuitBeforeAuth(i.getInt("port"));
        } finally {
            Instances.delete(i.getString("instanceId"));
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
