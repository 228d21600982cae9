package dev.kvsim.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kvsim.client.KvsimAdmin;
import dev.kvsim.client.Endpoint;
import io.quarkus.test.QuarkusUnitTest;

/** No quarkus.redis.hosts: kvsim starts, and its instance is what the Redis client and the beans see. */
class KvsimDevServicesStartTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.kvsim.devservices.password", "Test-Pw0rd!")
            .overrideConfigKey("quarkus.kvsim.devservices.instance-class", "redis.master.small.default");

    @Inject
    KvsimAdmin admin;

    @Inject
    Endpoint instance;

    @Test
    void kvsimServesTheRedisClient() {
        var described = admin.instance(instance.instanceId());
        assertEquals("Normal", described.status());
        assertEquals("redis.master.small.default", described.instanceClass());
        assertEquals(described.port(), instance.port());
        assertEquals("Test-Pw0rd!", instance.password());
        String hosts = ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class);
        assertEquals("redis://:Test-Pw0rd%21@127.0.0.1:" + described.port(), hosts);
        assertEquals(instance.redisUri(), hosts);
        assertTrue(admin.uri().toString().startsWith("http://127.0.0.1:"));
    }
}
