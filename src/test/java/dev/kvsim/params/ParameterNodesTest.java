package dev.kvsim.params;

import dev.kvsim.Instances;
import dev.kvsim.instance.InstanceStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine parameters reach every node of the instance, the replica too, and the nodes a failover
 * starts; the slow log threshold takes effect for clients of the proxy.
 */
@QuarkusTest
class ParameterNodesTest {

    private static final Map<String, String> CHANGED = Map.of("timeout", "300", "lazyfree-lazy-eviction", "yes",
            "slowlog-log-slower-than", "0", "hz", "20");

    @Inject
    InstanceStore store;

    /** CONFIG GET of every changed parameter on each node, reached on its own port with kvsim's secret. */
    private void assertOnEveryNode(String id) {
        String secret = store.require(id).internalPassword();
        List<Map<String, Object>> nodes = Instances.get(id).getList("nodes");
        assertEquals(2, nodes.size());
        for (Map<String, Object> node : nodes) {
            try (Jedis n = new Jedis("127.0.0.1", (Integer) node.get("port"))) {
                n.auth(secret);
                CHANGED.forEach((name, value) -> assertEquals(value, n.configGet(name).get(name),
                        name + " on the " + node.get("role") + " " + node.get("nodeId")));
            }
        }
    }

    @Test
    void changesReachMasterAndReplicaAndTheNodesOfAFailover() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        try {
            given().contentType(ContentType.JSON).body(CHANGED).patch("/api/v1/instances/" + id + "/parameters")
                    .then().statusCode(200);
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                CHANGED.forEach((name, value) -> assertEquals(value, j.configGet(name).get(name), name));
                j.slowlogReset();
                j.set("slow:1", "a");
                j.set("slow:2", "b");
                j.get("slow:1");
                assertTrue(j.slowlogLen() >= 3, "with a 0 µs threshold every command is logged: " + j.slowlogLen());
                assertTrue(j.slowlogGet().stream().anyMatch(e -> e.getArgs().contains("slow:2")),
                        "the client's own command is in the slow log");
            }
            assertOnEveryNode(id);

            List<Object> pidsBefore = Instances.get(id).getList("nodes.pid");
            int events = Instances.eventCount(id);
            Instances.fault(id, Map.of("type", "kill_node", "target", Map.of("node", "master")));
            Instances.awaitEvent(id, "Failover", events);
            Instances.awaitStatus(id, "Normal");
            List<Object> pidsAfter = Instances.get(id).getList("nodes.pid");
            assertFalse(pidsAfter.containsAll(pidsBefore), "a new node was started: " + pidsBefore + " -> " + pidsAfter);
            assertOnEveryNode(id);
        } finally {
            Instances.delete(id);
        }
    }
}
