package dev.kvsim.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** quarkus.kvsim.devservices.enabled=false: no kvsim, and quarkus.redis.hosts stays unset. */
class KvsimDevServicesDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.kvsim.devservices.enabled", "false");

    @Test
    void noKvsimIsStarted() {
        var config = ConfigProvider.getConfig();
        assertTrue(config.getOptionalValue("kvsim.admin-url", String.class).isEmpty(), "no kvsim admin URL");
        assertTrue(config.getOptionalValue("quarkus.redis.hosts", String.class).isEmpty(), "no Redis hosts");
    }
}
