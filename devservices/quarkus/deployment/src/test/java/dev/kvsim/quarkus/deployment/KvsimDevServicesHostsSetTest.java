package dev.kvsim.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kvsim.client.Endpoint;
import io.quarkus.test.QuarkusUnitTest;

/** quarkus.redis.hosts set by the application: the dev service stays out of the way and starts no kvsim. */
class KvsimDevServicesHostsSetTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.redis.hosts", "redis://127.0.0.1:6399");

    @Inject
    Instance<Endpoint> kvsim;

    @Test
    void noKvsimIsStarted() {
        var config = ConfigProvider.getConfig();
        assertEquals("redis://127.0.0.1:6399", config.getValue("quarkus.redis.hosts", String.class));
        assertTrue(config.getOptionalValue("kvsim.admin-url", String.class).isEmpty(), "no kvsim admin URL");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kvsim.get().instanceId());
        assertTrue(e.getMessage().contains("kvsim.instance-id"), e.getMessage());
    }
}
