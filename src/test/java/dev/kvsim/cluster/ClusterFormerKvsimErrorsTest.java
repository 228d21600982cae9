package dev.kvsim.cluster;

import dev.kvsim.Instances;
import dev.kvsim.NodesDown;
import dev.kvsim.RawClient;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.lifecycle.InstanceProvisioner;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The places of the cluster proxy that answered {@code ERR kvsim: …} (docs/proxy.md, "What the proxy
 * answers instead of kvsim's own texts"), one test each where this class has it; the others are in
 * ClusterFunctionsAndConnectionTest (FUNCTION, RESET, WAIT), ShardFailoverTest (a lost or unreachable
 * shard), ClusterFanOutTest (CLIENT KILL) and KeyRouterTest (a command the proxy cannot route).
 */
@QuarkusTest
class ClusterFormerKvsimErrorsTest extends ClusterInstanceTest {

    @Inject
    InstanceProvisioner provisioner;

    @Inject
    InstanceStore store;

    ClusterFormerKvsimErrorsTest() {
        super(2);
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

    /** Was {@code ERR kvsim: a shard refused kvsim's credentials}: the client's connection closes. */
    @Test
    void whenAShardRefusesKvsimsLoginTheClientsConnectionCloses() throws Exception {
        String internal = store.require(id).internalPassword();
        int nodePort = Instances.get(id).getInt("nodes.find { it.role == 'master' && it.shard == 1 }.port");
        String key = keyOnShard(1, "cr:");
        try (Jedis node = new Jedis("127.0.0.1", nodePort)) {
            node.auth(internal);
            node.configSet("requirepass", "not-kvsims-any-more");
            try (RawClient c = new RawClient(port)) {
                c.command("SELECT", "9");  // a database no client used: a new connection to the shard
                assertEquals("+OK", c.line());
                c.command("GET", key);
                assertTrue(c.closedByServer(), "closed, with no reply");
            } finally {
                node.configSet("requirepass", internal);
            }
        }
        try (Jedis j = jedis()) {
            assertEquals("PONG", j.ping());
            j.select(9);
            assertEquals(null, j.get(key));
        }
    }

    /** Was {@code ERR kvsim: CLUSTER SHARDS is not supported}: the engine's reply, one shard served by the endpoint. */
    @Test
    void clusterShardsDescribesTheEndpointServingEverySlot() {
        try (Jedis j = jedis()) {
            @SuppressWarnings("unchecked")
            List<Object> shards = (List<Object>) j.sendCommand(() -> "CLUSTER".getBytes(), "SHARDS");
            assertEquals(1, shards.size());
            @SuppressWarnings("unchecked")
            List<Object> shard = (List<Object>) shards.get(0);
            assertEquals("slots", new String((byte[]) shard.get(0)));
            assertEquals(List.of(0L, 16383L), shard.get(1));
            @SuppressWarnings("unchecked")
            List<Object> node = (List<Object>) ((List<Object>) shard.get(3)).get(0);
            assertEquals((long) port, node.get(3));
            assertEquals("master", new String((byte[]) node.get(9)));
        }
    }

}
