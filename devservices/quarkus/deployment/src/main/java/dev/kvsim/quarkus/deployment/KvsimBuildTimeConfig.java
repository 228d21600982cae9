package dev.kvsim.quarkus.deployment;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;

/**
 * kvsim's build-time configuration.
 */
@ConfigMapping(prefix = "quarkus.kvsim")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface KvsimBuildTimeConfig {

    /**
     * Dev Services for kvsim: in dev and test mode, start kvsim (no Docker) and point the default Redis client at an
     * instance in it.
     */
    KvsimDevServicesConfig devservices();
}
