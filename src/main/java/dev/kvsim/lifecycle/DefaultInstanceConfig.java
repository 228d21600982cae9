package dev.kvsim.lifecycle;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** {@code kvsim.default-instance.*}: the instance kvsim creates at start. */
@ConfigMapping(prefix = "kvsim.default-instance")
public interface DefaultInstanceConfig {

    boolean enabled();

    /** 0 picks a free port. */
    int port();

    String instanceClass();

    Optional<String> password();

    /** When the port is taken: false exits with an error, true picks a free port. */
    boolean useFreePortIfTaken();
}
