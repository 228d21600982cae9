package dev.kvsim.cluster;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster instance of an older major version: the cluster proxy refuses and describes as that release. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterEngineVersionsTest {

    private String id;
    private int port;

    @BeforeAll
    void createCluster() {
        var created = Instances.create(Map.of("instanceClass", ClusterInstanceTest.CLUSTER_CLASS, "majorVersion", "5.0",
                "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        assertEquals("5.0", created.getString("majorVersion"));
        id = created.getString("instanceId");
        port = created.getInt("port");
    }

    @AfterAll
    void deleteCluster() {
        Instances.delete(id);
    }

    @Test
    void whatCameAfterFiveZeroIsRefusedWithFiveZerosTexts() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("k", "v");
            j.rpush("l", "a");
            assertEquals("ERR unknown command `GETDEL`, with args beginning with: `k`, ",
                    assertThrows(JedisDataException.class, () -> j.getDel("k")).getMessage());
            assertEquals("ERR syntax error", assertThrows(JedisDataException.class, () -> j.setGet("k", "w")).getMessage());
            assertEquals("ERR unknown command `LPOS`, with args beginning with: `l`, `a`, ",
                    assertThrows(JedisDataException.class, () -> j.lpos("l", "a")).getMessage());
            assertEquals("ERR unknown command `HELLO`, with args beginning with: `3`, ",
                    assertThrows(JedisDataException.class, () -> j.sendCommand(Protocol.Command.HELLO, "3")).getMessage());
            assertEquals("ERR Unknown subcommand or wrong number of arguments for 'TRACKING'. Try CLIENT HELP",
                    assertThrows(JedisDataException.class, () -> j.sendCommand(Protocol.Command.CLIENT, "TRACKING", "on"))
                            .getMessage());
            assertEquals("v", j.get("k"));
        }
    }

    @Test
    void infoIinfoAndCommandTellTheRelease() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertTrue(j.info("server").contains("redis_version:5.0.14\r\n"));
            String shard = new String((byte[]) j.sendCommand(() -> "IINFO".getBytes(), "1", "server"));
            assertTrue(shard.contains("redis_version:5.0.14\r\n"), shard);
            assertEquals(200L, j.commandCount());
            List<?> entries = (List<?>) j.sendCommand(Protocol.Command.COMMAND, "INFO", "getdel", "get");
            assertNull(entries.get(0));
            assertEquals(6, ((List<?>) entries.get(1)).size());
            // the proxy's own commands answer whatever the version
            assertEquals(List.of("cluster_state:ok"),
                    j.clusterInfo().lines().filter(l -> l.startsWith("cluster_state")).toList());
        }
    }

    @Test
    void inMultiASyntaxErrorTakesItsPlaceAndAnUnknownCommandAborts() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Transaction t = j.multi();
            t.set("{t}a", "1");
            t.setGet("{t}a", "2");
            List<Object> results = t.exec();
            assertEquals("OK", results.get(0));
            assertEquals("ERR syntax error", ((JedisDataException) results.get(1)).getMessage());
            assertEquals("1", j.get("{t}a"));
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals("+OK", c.command("MULTI").line());
            assertEquals("-ERR unknown command `GETDEL`, with args beginning with: `{t}a`, ", c.command("GETDEL", "{t}a").line());
            assertEquals("-EXECABORT Transaction discarded because of previous errors.", c.command("EXEC").line());
        }
    }
}
