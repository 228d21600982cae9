package dev.kvsim.rkvstore;

import dev.kvsim.engine.EngineLocator;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** kvsim pointed at the Redis 6.2 bundled with it ({@code kvsim.engine.path}), as on a machine without redis-server. */
public class BundledEngineProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Path bundled = new EngineLocator(Optional.empty(), Path.of("target", "kvsim-test-data")).bundled().path();
        return Map.of("kvsim.engine.path", bundled.toAbsolutePath().toString());
    }
}
