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
 * A cluster class with two shards: kvsim serves it through one proxy endpoint that speaks standalone RESP, in RESP3 as
 * the service's current proxy (the Quarkus Redis client asks for it by default), and no Quarkus Redis dev service
 * (Docker) is probed alongside kvsim's; no warning about RESP2 either.
 */
class KvsimDevServicesClusterTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.kvsim.devservices.instance-class",
                    "redis.logic.sharding.2g.8db.0rodb.8proxy.default")
            .overrideConfigKey("quarkus.kvsim.devservices.shard-count", "2")
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("org.testcontainers")
                    || r.getLoggerName().startsWith("io.quarkus.redis.deployment")
                    || String.valueOf(r.getMessage()).contains("speaks RESP2 only"))
            .assertLogRecords(records -> assertTrue(records.isEmpty(),
                    "Quarkus's own Redis dev service stayed off, and no RESP2 warning: "
                            + records.stream().map(r -> r.getMessage()).toList()));

    @Inject
    KvsimAdmin admin;

    @Inject
    Endpoint instance;

    @Inject
    RedisDataSource redis;

    @Test
    void theRedisClientWorksOnAKvsimClusterInResp3() {
        var described = admin.instance(instance.instanceId());
        assertEquals("cluster", described.architecture());
        assertEquals(2, described.nodes().stream().filter(n -> "master".equals(n.role())).count());
        assertEquals("standalone", ConfigProvider.getConfig().getValue("quarkus.redis.client-type", String.class));
        assertEquals(3, redis.execute("HELLO").get("proto").toInteger(), "the client negotiated RESP3");
        for (int i = 0; i < 20; i++) {
            redis.value(String.class).set("k" + i, "v" + i);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("v" + i, redis.value(String.class).get("k" + i));
        }
    }
}
