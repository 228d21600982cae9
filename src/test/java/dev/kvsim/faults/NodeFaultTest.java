package dev.kvsim.faults;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Node faults: a paused node, broken replication, a whole shard down; HA reacts as to the real thing. */
@QuarkusTest
class NodeFaultTest {

    @Test
    void pausedReplicaStopsAcknowledgingAndIsReplacedAsHung() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            j.set("k", "v");
            assertEquals(1L, j.waitReplicas(1, 2000));
            int events = Instances.eventCount(id);
            Instances.fault(id, Map.of("type", "pause_node", "target", Map.of("node", "replica"), "durationMs", 5000));
            j.set("k", "w");
            assertEquals(0L, j.waitReplicas(1, 100), "a paused replica acknowledges nothing");
            Map<String, Object> replaced = Instances.awaitEvent(id, "NodeReplaced", events);
            assertEquals("node hung (paused)", replaced.get("reason"));
            Instances.awaitStatus(id, "Normal");
            assertEquals(1L, j.waitReplicas(1, 2000), "the new replica follows the master");
        } finally {
            given().when().post("/api/v1/faults/reset").then().statusCode(200);
            Instances.delete(id);
        }
    }

    @Test
    void brokenReplicationBuildsLagUntilTheFaultEnds() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            int events = Instances.eventCount(id);
            Instances.fault(id, Map.of("type", "break_replication", "durationMs", 800));
            j.set("k", "v");
            assertEquals(0L, j.waitReplicas(1, 200), "the replica no longer receives writes");
            Instances.awaitEvent(id, "FaultEnded", events);
            assertEquals(1L, j.waitReplicas(1, 3000), "the replica caught up once the fault ended");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void aKilledShardFailsItsKeysUntilTheFaultEndsThenComesBackWithItsData() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        // {a} is in slot 15495 (shard 1 of 2), {b} in slot 3300 (shard 0)
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("{a}k", "on shard 1");
            j.set("{b}k", "on shard 0");
            Instances.sleep(1200);  // appendfsync everysec: on disk before the crash
            Instances.fault(id, Map.of("type", "kill_shard", "target", Map.of("shard", 1), "durationMs", 1500));
            Instances.sleep(300);
        }
        // As on the service, a request to the failed shard gets no answer while it is down: the client times out.
        try (Jedis j = new Jedis("127.0.0.1", port, 300)) {
            assertThrows(JedisException.class, () -> j.get("{a}k"));
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("on shard 0", j.get("{b}k"));
            Map<String, Object> back = Instances.awaitEvent(id, "NodeReplaced", 0);
            assertEquals("shard", back.get("role"));
            Instances.awaitStatus(id, "Normal");
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("on shard 1", j.get("{a}k"));
        } finally {
            Instances.delete(id);
        }
    }
}
