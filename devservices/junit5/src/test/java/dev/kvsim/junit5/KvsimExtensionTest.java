package dev.kvsim.junit5;

import dev.kvsim.client.Endpoint;
import dev.kvsim.client.Instance;
import dev.kvsim.client.KvsimAdmin;
import dev.kvsim.client.KvsimServer;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The extension, run on sample test classes through JUnit's test kit, so that what happens after those
 * classes end (instances deleted, kvsim and its nodes stopped, also when a test failed) can be checked.
 */
class KvsimExtensionTest {

    /** What the sample classes saw, for the checks after they ran. */
    static final List<Long> serverPids = new ArrayList<>();
    static final List<Long> nodePids = new ArrayList<>();
    static final List<String> seen = new ArrayList<>();

    @Test
    void injectsDeclaredInstancesAndStopsEverythingWhenTheClassEndsEvenAfterAFailure() {
        clear();
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SampleWithFailure.class))
                .execute().testEvents();
        tests.assertStatistics(s -> s.started(3).succeeded(2).failed(1));

        assertEquals(1, serverPids.stream().distinct().count(), "one kvsim for the class: " + serverPids);
        long kvsimPid = serverPids.get(0);
        assertFalse(ProcessHandle.of(kvsimPid).map(ProcessHandle::isAlive).orElse(false), "kvsim stopped");
        assertFalse(nodePids.isEmpty());
        for (long pid : nodePids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "redis-server " + pid + " stopped");
        }
        assertTrue(seen.contains("static-field-PONG") && seen.contains("parameter-PONG"), seen.toString());
    }

    @Test
    void classesOfARunShareOneKvsimAndInstancesOfAParameterLiveForOneTest() {
        clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SharedA.class), selectClass(SharedB.class))
                .execute().testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertEquals(2, serverPids.size());
        assertEquals(serverPids.get(0), serverPids.get(1), "both classes used the run's kvsim");
        assertFalse(ProcessHandle.of(serverPids.get(0)).map(ProcessHandle::isAlive).orElse(false),
                "the run's kvsim stopped when the (test kit's) run ended");
    }

    private static void clear() {
        serverPids.clear();
        nodePids.clear();
        seen.clear();
    }

    @Kvsim(scope = Kvsim.Scope.CLASS)
    static class SampleWithFailure {

        @KvsimInstance(password = "Passw0rd!", memoryMb = 32)
        static Endpoint shared;

        @KvsimInstance(memoryMb = 16, maxConnections = 5)
        Endpoint small;

        @KvsimAdminClient
        KvsimAdmin admin;

        @Test
        void staticAndInstanceFields(KvsimServer server) {
            serverPids.add(server.pid());
            assertNotNull(shared);
            assertNotEquals(shared.instanceId(), small.instanceId());
            try (Jedis jedis = new Jedis(shared.host(), shared.port())) {
                jedis.auth(shared.password());
                seen.add("static-field-" + jedis.ping());
            }
            Instance i = admin.instance(small.instanceId());
            assertEquals(5, i.limits().maxConnections());
            assertEquals(16, i.limits().memoryMb());
            i.nodes().forEach(n -> nodePids.add(n.pid()));
            admin.instance(shared.instanceId()).nodes().forEach(n -> nodePids.add(n.pid()));
        }

        @Test
        void parameter(@KvsimInstance(memoryMb = 16) Endpoint own, KvsimAdmin admin) {
            try (Jedis jedis = new Jedis(own.host(), own.port())) {
                seen.add("parameter-" + jedis.ping());
            }
            admin.instance(own.instanceId()).nodes().forEach(n -> nodePids.add(n.pid()));
        }

        @Test
        void failing() {
            throw new AssertionError("a failed test must not leave kvsim running");
        }
    }

    @Kvsim
    static class SharedA {
        @Test
        void one(KvsimServer server) {
            serverPids.add(server.pid());
        }
    }

    @Kvsim
    static class SharedB {
        @Test
        void two(KvsimServer server) {
            serverPids.add(server.pid());
        }
    }
}
