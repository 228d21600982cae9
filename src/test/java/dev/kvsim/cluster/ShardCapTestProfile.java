package dev.kvsim.cluster;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Three backend connections per shard, so that the per-shard cap is cheap to reach; realistic HA
 * timings, so that a node filled up on purpose for a moment is not taken for a hung one.
 */
public class ShardCapTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kvsim.proxy.shard-backend-connections", "3", "kvsim.ha.profile", "realistic");
    }
}
