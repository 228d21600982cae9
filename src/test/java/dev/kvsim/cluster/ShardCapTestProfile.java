package dev.kvsim.cluster;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Three backend connections per shard, so that the per-shard cap is cheap to reach; realistic HA
 * timings, so that a node filled up on purpose for a moment is not taken for a hung one; and a
 * proxy without RESP3 by default ({@code kvsim.proxy.resp3=false}), as the service's older proxies.
 * One profile, so that Quarkus restarts once for all of these.
 */
public class ShardCapTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kvsim.proxy.shard-backend-connections", "3", "kvsim.ha.profile", "realistic",
                "kvsim.proxy.resp3", "false");
    }
}
