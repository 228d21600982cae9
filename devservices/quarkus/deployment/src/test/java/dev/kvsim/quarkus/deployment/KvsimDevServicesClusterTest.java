package dev.kvsim.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kvsim.client.KvsimAdmin;
import dev.kvsim.client.Endpoint;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A cluster class with two shards: kvsim serves it through one proxy endpoint that speaks standalone RESP (RESP2 only,
 * as the service's proxy), and no Quarkus Redis dev service (Docker) is probed alongside kvsim's.
 */
class KvsimDevServicesClusterTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.kvsim.devservices.instance-class",
                    "redis.logic.sharding.2g.8db.0rodb.8proxy.default")
            .overrideConfigKey("quarkus.kvsim.devservices.shard-count", "2")
            // the service's cluster proxy (and kvsim's) speaks RESP2 only
            .overrideConfigKey("quarkus.redis.preferred-protocol-version", "resp2")
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("org.testcontainers")
                    || r.getLoggerName().startsWith("io.quarkus.redis.deployment"))
            .assertLogRecords(records -> assertTrue(records.isEmpty(),
                    "Quarkus's own Redis dev service stayed off: " + records.stream().map(r -> r.getMessage()).toList()));

    @Inject
    KvsimAdmin admin;

    @Inject
    Endpoint instance;

    @Inject
    RedisDataSource redis;

    @Test
    void theRedisClientWorksOnAKvsimCluster() {
        var described = admin.instance(instance.instanceId());
        assertEquals("cluster", described.architecture());
        assertEquals(2, described.nodes().stream().filter(n -> "master".equals(n.role())).count());
        assertEquals("standalone", ConfigProvider.getConfig().getValue("quarkus.redis.client-type", String.class));
        for (int i = 0; i < 20; i++) {
            redis.value(String.class).set("k" + i, "v" + i);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("v" + i, redis.value(String.class).get("k" + i));
        }
    }
}
