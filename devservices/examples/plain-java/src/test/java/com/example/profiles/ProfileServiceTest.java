package com.example.profiles;

import dev.kvsim.client.ActiveFault;
import dev.kvsim.client.Endpoint;
import dev.kvsim.client.KvsimAdmin;
import dev.kvsim.junit5.Kvsim;
import dev.kvsim.junit5.KvsimInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profile cache against a managed-Redis look-alike: a 1 GB dual-replica instance with a password. */
@Kvsim
class ProfileServiceTest {

    @KvsimInstance(instanceClass = "redis.master.small.default", password = "Passw0rd!")
    static Endpoint redis;

    private final ProfileSource source = new ProfileSource();
    private ProfileService profiles;

    @BeforeEach
    void connect() {
        profiles = new ProfileService(redis.host(), redis.port(), redis.password(), Duration.ofMillis(200), source);
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.auth(redis.password());
            jedis.flushAll();
        }
    }

    @AfterEach
    void close() {
        profiles.close();
    }

    @Test
    void secondReadComesFromRedis() {
        String first = profiles.profile("42");
        assertEquals(first, profiles.profile("42"));
        assertEquals(1, source.lookups(), "the second read was a cache hit");
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.auth(redis.password());
            assertEquals(first, jedis.get("profile:42"));
            assertTrue(jedis.ttl("profile:42") > 0, "cached with a TTL");
        }
    }

    @Test
    void aSlowRedisDoesNotMakeProfilesSlow(KvsimAdmin admin) {
        profiles.profile("7");
        try (ActiveFault slow = admin.faults(redis.instanceId()).latency(Duration.ofMillis(1000)).start()) {
            long started = System.nanoTime();
            String profile = profiles.profile("7");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(profile.contains("\"id\":\"7\""));
            assertTrue(millis < 900, "answered from the source after the 200 ms Redis timeout, took " + millis + " ms");
            assertEquals(2, source.lookups(), "the slow cache was bypassed");
        }
        // the fault is gone: the cache serves again
        profiles.profile("7");
        assertEquals(2, source.lookups(), "a cache hit again once Redis is fast");
    }
}
