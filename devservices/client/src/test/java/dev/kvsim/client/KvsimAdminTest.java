package dev.kvsim.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin client against a real kvsim: every call through HTTP, its effect checked with a Redis client. */
class KvsimAdminTest {

    private static KvsimServer server;
    private static KvsimAdmin admin;

    @BeforeAll
    static void start() {
        server = KvsimServer.builder().start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createsListsAndDeletesInstances() {
        Instance created = admin.createInstance(CreateInstance.of("redis.master.small.default").name("orders")
                .password("Passw0rd!").memoryMb(64).maxConnections(20));
        assertEquals(Instance.NORMAL, created.status());
        assertEquals(64, created.limits().memoryMb());
        assertEquals(20, created.limits().maxConnections());
        assertTrue(admin.instances().stream().anyMatch(i -> i.instanceId().equals(created.instanceId())));
        try (Jedis jedis = jedis(created.endpoint("Passw0rd!"))) {
            jedis.set("k", "v");
            assertEquals("v", jedis.get("k"));
        }
        admin.deleteInstance(created.instanceId());
        KvsimApiException.NotFound gone = assertThrows(KvsimApiException.NotFound.class,
                () -> admin.instance(created.instanceId()));
        assertEquals("InvalidInstanceId.NotFound", gone.code());
        assertEquals(404, gone.httpStatus());
    }

    @Test
    void errorsCarryTheApiCode() {
        KvsimApiException.BadRequest badClass = assertThrows(KvsimApiException.BadRequest.class,
                () -> admin.createInstance(CreateInstance.of("redis.no.such.class")));
        assertEquals(400, badClass.httpStatus());
        assertFalse(badClass.code().isBlank());
        assertTrue(badClass.getMessage().contains("redis.no.such.class"), badClass.getMessage());

        Instance single = admin.createInstance(CreateInstance.of("redis.master.small.default").memoryMb(32));
        try {
            KvsimApiException.BadRequest badParameter = assertThrows(KvsimApiException.BadRequest.class,
                    () -> admin.modifyParameters(single.instanceId(), Map.of("maxmemory-policy", "sometimes")));
            assertEquals("InvalidParameter", badParameter.code());
        } finally {
            admin.deleteInstance(single.instanceId());
        }
    }

    @Test
    void catalogParametersSecurityIpsAndAccounts() {
        List<InstanceClass> classes = admin.classes();
        assertTrue(classes.stream().anyMatch(c -> c.name().equals("redis.master.small.default")));
        assertEquals("standard", admin.instanceClass("redis.master.small.default").architecture());

        Instance i = admin.createInstance(CreateInstance.of("redis.master.small.default").password("Passw0rd!").memoryMb(32));
        try {
            admin.modifyParameters(i.instanceId(), Map.of("maxmemory-policy", "noeviction"));
            assertEquals("noeviction", admin.parameters(i.instanceId()).stream()
                    .filter(p -> p.name().equals("maxmemory-policy")).findFirst().orElseThrow().value());

            admin.modifySecurityIps(i.instanceId(), "default", Settings.IpMode.Append, List.of("10.0.0.0/8"));
            assertTrue(admin.securityIps(i.instanceId()).get(0).ips().contains("10.0.0.0/8"));

            admin.createAccount(i.instanceId(), "reporting", "Passw0rd!ro", Settings.Privilege.RoleReadOnly);
            assertTrue(admin.accounts(i.instanceId()).stream().anyMatch(a -> a.accountName().equals("reporting")));
            try (Jedis jedis = jedis(i.endpoint(null))) {
                jedis.auth("reporting", "Passw0rd!ro");
                JedisDataException refused = assertThrows(JedisDataException.class, () -> jedis.set("k", "v"));
                assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
            }
        } finally {
            admin.deleteInstance(i.instanceId());
        }
    }

    @Test
    void aFaultScopeSlowsTheInstanceUntilItCloses() {
        Instance i = admin.createInstance(CreateInstance.of("redis.master.small.default").memoryMb(32));
        try (Jedis jedis = jedis(i.endpoint(null))) {
            jedis.ping();
            String faultId;
            try (ActiveFault latency = admin.faults(i.instanceId()).latency(Duration.ofMillis(300)).start()) {
                faultId = latency.faultId();
                assertEquals("latency", latency.fault().type());
                assertTrue(millisOf(jedis::ping) >= 280, "a PING under a 300 ms latency fault");
                assertEquals("Active", latency.current().status());
            }
            assertThrows(KvsimApiException.NotFound.class, () -> admin.fault(faultId), "closing removed the fault");
            assertTrue(millisOf(jedis::ping) < 200, "the fault is gone once its scope closed");
            List<String> events = admin.events(i.instanceId()).stream().map(Event::type).toList();
            assertTrue(events.containsAll(List.of("FaultStarted", "FaultEnded")), "fault events are logged: " + events);
        } finally {
            admin.deleteInstance(i.instanceId());
        }
    }

    @Test
    void aCommandFaultAnswersTheEnginesErrorForMatchingCommandsOnly() {
        Instance i = admin.createInstance(CreateInstance.of("redis.master.small.default").memoryMb(32));
        try (Jedis jedis = jedis(i.endpoint(null));
             ActiveFault readOnly = admin.faults(i.instanceId()).errorReply(FaultBuilders.EngineError.READONLY)
                     .commands("@write").keyPattern("user:*").start()) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.set("user:1", "x"));
            assertEquals("READONLY You can't write against a read only replica.", e.getMessage());
            assertEquals("OK", jedis.set("order:1", "x"));
            assertEquals(List.of("@write"), readOnly.fault().match().commands());
        } finally {
            admin.deleteInstance(i.instanceId());
        }
    }

    @Test
    void aBadFaultIsRefusedWithACode() {
        Instance i = admin.createInstance(CreateInstance.of("redis.master.small.default").memoryMb(32));
        try {
            KvsimApiException.BadRequest e = assertThrows(KvsimApiException.BadRequest.class,
                    () -> admin.faults(i.instanceId()).latency(Duration.ofMillis(100)).toxicity(2.0).start());
            assertFalse(e.code().isBlank());
            assertTrue(admin.faultsOf(i.instanceId()).isEmpty(), "nothing was injected");
        } finally {
            admin.deleteInstance(i.instanceId());
        }
    }

    @Test
    void aSwitchoverSwapsTheNodesAndTheInstanceComesBackNormal() {
        Instance i = admin.createInstance(CreateInstance.of("redis.master.small.default").memoryMb(32));
        try {
            int masterPort = i.master(0).port();
            admin.switchover(i.instanceId(), SwitchType.AVAILABLE_PRIORITY);
            Instance after = admin.awaitStatus(i.instanceId(), Instance.NORMAL, Duration.ofSeconds(30));
            assertNotEquals(masterPort, after.master(0).port(), "the old replica is the master now");
            assertTrue(admin.events(i.instanceId()).stream().anyMatch(e -> e.type().contains("Switchover")));
        } finally {
            admin.deleteInstance(i.instanceId());
        }
    }

    @Test
    void slaReportsTheMonth() {
        Instance i = admin.createInstance(CreateInstance.of("redis.master.small.default").memoryMb(32));
        try {
            YearMonth month = YearMonth.now(ZoneOffset.UTC);
            SlaReport report = admin.sla(i.instanceId(), month);
            assertEquals(month.toString(), report.month());
            assertEquals(i.instanceId(), report.instanceId());
            assertTrue(admin.sla(month).stream().anyMatch(r -> r.instanceId().equals(i.instanceId())));
        } finally {
            admin.deleteInstance(i.instanceId());
        }
    }

    private static Jedis jedis(Endpoint e) {
        Jedis jedis = new Jedis(e.host(), e.port());
        if (e.password() != null) {
            jedis.auth(e.password());
        }
        return jedis;
    }

    private static long millisOf(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1_000_000;
    }
}
