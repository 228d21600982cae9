package dev.kvsim.cluster;

import dev.kvsim.Instances;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.util.Map;

/**
 * Base of the test classes that share one small cluster instance (a few shards of 32 MB of the
 * 2g.8db class): created before the first test, flushed before each, deleted after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterInstanceTest {

    static final String CLUSTER_CLASS = "redis.logic.sharding.2g.8db.0rodb.8proxy.default";

    final int shards;
    String id;
    int port;
    /** The create call's answer. */
    JsonPath created;

    ClusterInstanceTest(int shards) {
        this.shards = shards;
    }

    @BeforeAll
    void createCluster() {
        created = Instances.create(Map.of("instanceClass", CLUSTER_CLASS,
                "overrides", Map.of("shardCount", shards, "memoryMb", 32 * shards)));
        id = created.getString("instanceId");
        port = created.getInt("port");
    }

    @AfterAll
    void deleteCluster() {
        Instances.delete(id);
    }

    @BeforeEach
    void flushCluster() {
        try (Jedis j = jedis()) {
            j.flushAll();
        }
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", port);
    }

    /** The proxy's INFO KEY answer: {@code slot:<n> node_index:<shard>}. */
    static String where(Jedis j, String key) {
        return new String((byte[]) j.sendCommand(() -> "INFO".getBytes(), "KEY", key));
    }

    /** The shard the proxy routes the key to. */
    int shardOf(String key) {
        try (Jedis j = jedis()) {
            String at = where(j, key);
            return Integer.parseInt(at.substring(at.indexOf("node_index:") + "node_index:".length()));
        }
    }

    /** The first of prefix0, prefix1, … that the proxy routes to the shard. */
    String keyOnShard(int shard, String prefix) {
        try (Jedis j = jedis()) {
            for (int n = 0; ; n++) {
                if (where(j, prefix + n).endsWith(" node_index:" + shard)) {
                    return prefix + n;
                }
            }
        }
    }
}
