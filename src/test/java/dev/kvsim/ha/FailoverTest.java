package dev.kvsim.ha;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HA system (fast profile): a failed master is replaced by its replica, a failed node by a new one. */
@QuarkusTest
class FailoverTest {

    @ConfigProperty(name = "kvsim.data-dir")
    Path dataDir;

    @Test
    void deadMasterIsReplacedByItsReplicaAndDataSurvives() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        try (Jedis before = new Jedis("127.0.0.1", port)) {
            before.set("kept", "yes");
            assertEquals(1L, before.waitReplicas(1, 2000));
            String oldMaster = Instances.master(id, 0);
            int events = Instances.eventCount(id);

            Instances.fault(id, Map.of("type", "kill_node", "target", Map.of("node", "master")));
            Map<String, Object> failover = Instances.awaitEvent(id, "Failover", events);
            Instances.awaitStatus(id, "Normal");

            assertEquals(oldMaster, failover.get("oldMaster"));
            assertEquals("node process died", failover.get("reason"));
            assertTrue(failover.containsKey("detectedAt") && failover.containsKey("switchedAt"));
            assertTrue(((Number) failover.get("replicaOffset")).longValue() > 0);
            String newMaster = Instances.master(id, 0);
            assertNotEquals(oldMaster, newMaster);
            assertEquals(newMaster, failover.get("newMaster"));
            // the old master's node came back as the new replica
            assertEquals(oldMaster, Instances.get(id).getString("nodes.find { it.role == 'replica' }.nodeId"));
            // the connection to the old master was closed; a new one works and has the data
            assertThrows(JedisException.class, () -> before.get("kept"));
        }
        try (Jedis after = new Jedis("127.0.0.1", port)) {
            assertEquals("yes", after.get("kept"));
            after.set("new", "1");
            assertEquals(1L, after.waitReplicas(1, 2000), "the new replica follows the new master");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void aRepairThatFailsLeavesTheInstanceInErrorAndHaTriesAgainUntilItIsNormal() throws Exception {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        Path instanceDir = dataDir.resolve("instances").resolve(id);
        Path away = instanceDir.resolveSibling(id + ".away");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("kept", "yes");
            assertEquals(1L, j.waitReplicas(1, 2000));
        }
        int events = Instances.eventCount(id);
        // A file where the instance's directory belongs: no new node can start (as with no descriptors
        // left or a full disk). The running nodes keep theirs, moved aside.
        Files.move(instanceDir, away);
        Files.writeString(instanceDir, "in the way");
        try {
            Instances.fault(id, Map.of("type", "kill_node", "target", Map.of("node", "master")));
            Map<String, Object> failed = Instances.awaitEvent(id, "RepairFailed", events);
            assertEquals("node process died", failed.get("reason"));
            assertTrue(String.valueOf(failed.get("error")).contains("cannot start node"), failed.toString());
            Instances.awaitStatus(id, "Error");
            Map<String, Object> failover = Instances.awaitEvent(id, "Failover", events);
            assertNull(failover.get("replicaRebuiltAt"), "the switch happened, the new replica did not start");
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("yes", j.get("kept"), "the promoted replica serves meanwhile");
            }
        } finally {
            Files.delete(instanceDir);
            Files.move(away, instanceDir);
        }
        Map<String, Object> replaced = Instances.awaitEvent(id, "NodeReplaced", events);
        assertEquals("replica", replaced.get("role"));
        Instances.awaitStatus(id, "Normal");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("yes", j.get("kept"));
            j.set("after", "1");
            assertEquals(1L, j.waitReplicas(1, 2000), "the replica HA started on its next try follows the master");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void hungMasterIsFailedOver() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            j.set("k", "v");
            assertEquals(1L, j.waitReplicas(1, 2000));
            int events = Instances.eventCount(id);
            Instances.fault(id, Map.of("type", "pause_node", "target", Map.of("node", "master"), "durationMs", 10_000));
            Map<String, Object> failover = Instances.awaitEvent(id, "Failover", events);
            assertEquals("node hung (paused)", failover.get("reason"));
            Instances.awaitStatus(id, "Normal");
        }
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            assertEquals("v", j.get("k"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void deadSingleReplicaNodeIsReplacedByAnEmptyOne() {
        JsonPath i = Instances.createSingle();
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("lost", "soon");
            int events = Instances.eventCount(id);
            long pid = Instances.get(id).getLong("nodes[0].pid");
            Instances.fault(id, Map.of("type", "kill_node"));
            Map<String, Object> replaced = Instances.awaitEvent(id, "NodeReplaced", events);
            assertEquals("master", replaced.get("role"));
            Instances.awaitStatus(id, "Normal");
            assertNotEquals(pid, Instances.get(id).getLong("nodes[0].pid"));
            assertThrows(JedisConnectionException.class, () -> j.get("lost"));
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertNull(j.get("lost"), "a new single-replica node starts empty, as on the service");
            j.set("works", "1");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void deadReplicaIsReplacedAndTheMasterStays() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            String master = Instances.master(id, 0);
            int events = Instances.eventCount(id);
            Instances.fault(id, Map.of("type", "kill_node", "target", Map.of("node", "replica")));
            Map<String, Object> replaced = Instances.awaitEvent(id, "NodeReplaced", events);
            assertEquals("replica", replaced.get("role"));
            Instances.awaitStatus(id, "Normal");
            assertEquals(master, Instances.master(id, 0));
            j.set("k", "v");  // the client's connection to the master was never touched
            assertEquals(1L, j.waitReplicas(1, 2000));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void clusterShardMasterFailsOverAlone() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            for (int k = 0; k < 50; k++) {
                j.set("key:" + k, Integer.toString(k));
            }
            assertEquals(1L, j.waitReplicas(1, 5000), "every shard's replica has the writes of this connection");
            Instances.awaitReplicated(id);  // and HA's checks have seen the offsets
            String shard0 = Instances.master(id, 0);
            String shard1 = Instances.master(id, 1);
            int events = Instances.eventCount(id);
            Instances.fault(id, Map.of("type", "kill_node", "target", Map.of("shard", 1, "node", "master")));
            Map<String, Object> failover = Instances.awaitEvent(id, "Failover", events);
            assertEquals(1, ((Number) failover.get("shard")).intValue());
            Instances.awaitStatus(id, "Normal");
            assertEquals(shard0, Instances.master(id, 0));
            assertNotEquals(shard1, Instances.master(id, 1));
        }
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            for (int k = 0; k < 50; k++) {
                assertEquals(Integer.toString(k), j.get("key:" + k));
            }
        } finally {
            Instances.delete(id);
        }
    }
}
