package dev.kvsim.rkvstore;

import com.aliyun.r_kvstore20150101.Client;
import com.aliyun.r_kvstore20150101.models.DescribeEngineVersionRequest;
import com.aliyun.r_kvstore20150101.models.DescribeEngineVersionResponseBody;
import com.aliyun.r_kvstore20150101.models.ModifyInstanceMajorVersionRequest;
import com.aliyun.tea.TeaException;
import dev.kvsim.Instances;
import dev.kvsim.core.KvsimClock;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ModifyInstanceMajorVersion through the official SDK (and the admin API's equivalent): a writer keeps writing
 * through the upgrade, is disconnected once, and finds every write it saw acknowledged; the instance answers as
 * the new version at once; a downgrade, a version not offered and an instance that is not Normal are refused;
 * MaintainTime waits for the window on kvsim's clock.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RkvMajorVersionTest {

    @Inject
    KvsimClock clock;

    @AfterAll
    void putTheClockBack() {
        clock.resetForTests();
    }

    @Test
    void aWriterKeepsWritingThroughAnUpgradeAndLosesNothing() throws Exception {
        var created = Instances.create(Map.of("instanceClass", "redis.master.micro.default", "majorVersion", "5.0",
                "overrides", Map.of("memoryMb", 64)));
        String id = created.getString("instanceId");
        int port = created.getInt("port");
        Client sdk = RkvClients.sdk("test", "test", null);
        Writer writer = new Writer(port);
        Thread t = new Thread(writer, "upgrade-writer");
        try {
            t.start();
            writer.awaitAcked(200);
            int eventsBefore = Instances.eventCount(id);
            sdk.modifyInstanceMajorVersion(new ModifyInstanceMajorVersionRequest().setInstanceId(id).setMajorVersion("6.0"));
            assertEquals("6.0", awaitVersion(sdk, id, "6.0"));
            Map<String, Object> upgraded = Instances.awaitEvent(id, "MajorVersionUpgraded", eventsBefore);
            int acked = writer.acked.size();
            writer.awaitAcked(acked + 200);
            writer.stop = true;
            t.join(10_000);
            Log.infof("upgrade 5.0 -> 6.0 under a writer: %d writes acknowledged, %d disconnect(s), reconnected after %s ms,"
                    + " %d error reply(ies) %s; kvsim's switch %s ms", writer.acked.size(), writer.disconnects,
                    writer.gapsMs, writer.errors.size(), writer.errors, upgraded.get("switchMs"));
            assertEquals(1, writer.disconnects, "the writer's connection is dropped once");
            assertTrue(writer.errors.isEmpty(), "no command failed with an error reply: " + writer.errors);
            assertTrue(writer.gapsMs.get(0) < 5_000, "reconnected after " + writer.gapsMs);
            assertEquals("5.0", upgraded.get("from"));
            assertEquals("6.0", upgraded.get("to"));
            assertTrue(((Number) upgraded.get("droppedConnections")).intValue() >= 1, upgraded.toString());
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                List<String> missing = new ArrayList<>();
                for (int n : writer.acked) {
                    if (!Integer.toString(n).equals(j.get("w:" + n))) {
                        missing.add("w:" + n);
                    }
                }
                assertEquals(List.of(), missing, "every acknowledged write is there");
                // the instance answers as 6.0 now: RESP3 is there, 6.2's GETDEL is not
                assertInstanceOf(List.class, j.sendCommand(Protocol.Command.HELLO, "3"));
                assertTrue(j.info("server").contains("redis_version:6.0.20\r\n"));
                assertEquals("ERR unknown command `GETDEL`, with args beginning with: `w:0`, ",
                        assertThrows(JedisDataException.class, () -> j.getDel("w:0")).getMessage());
            }
            DescribeEngineVersionResponseBody v = sdk.describeEngineVersion(
                    new DescribeEngineVersionRequest().setInstanceId(id)).getBody();
            assertEquals("6.0", v.getMajorVersion());
            assertEquals("6.0.20", v.getMinorVersion());
            assertTrue(v.getEnableUpgradeMajorVersion(), "7.0 is there to upgrade to");
            assertEquals("0", v.getIsAutoUpgradeOpen());
        } finally {
            writer.stop = true;
            t.join(10_000);
            Instances.delete(id);
        }
    }

    @Test
    void aDowngradeAVersionNotOfferedOrABusyInstanceIsRefused() throws Exception {
        String id = Instances.create(Map.of("instanceClass", "redis.basic.micro.default", "majorVersion", "6.0"))
                .getString("instanceId");
        Client sdk = RkvClients.sdk("test", "test", "v2");
        try {
            for (String version : List.of("5.0", "6.0")) {
                TeaException e = assertThrows(TeaException.class, () -> sdk.modifyInstanceMajorVersion(
                        new ModifyInstanceMajorVersionRequest().setInstanceId(id).setMajorVersion(version)));
                assertEquals("IncorrectEngineVersion", e.getCode());
                assertEquals(400, e.getStatusCode());
                assertTrue(e.getMessage().contains("runs major version 6.0; a major version can only be upgraded: choose 7.0"),
                        e.getMessage());
            }
            TeaException notOffered = assertThrows(TeaException.class, () -> sdk.modifyInstanceMajorVersion(
                    new ModifyInstanceMajorVersionRequest().setInstanceId(id).setMajorVersion("2.8")));
            assertEquals("InvalidParameter", notOffered.getCode());
            assertTrue(notOffered.getMessage().contains("choose one of 4.0, 5.0, 6.0, 7.0"), notOffered.getMessage());
            Instances.given().contentType(ContentType.JSON).body(Map.of("majorVersion", "7.0", "effectiveTime", "Later"))
                    .when().post("/api/v1/instances/" + id + "/major-version").then().statusCode(400)
                    .body("message", equalTo("effectiveTime must be Immediately or MaintainTime; got 'Later'."));
            Instances.given().contentType(ContentType.JSON).body(Map.of("effectiveTime", "Immediately"))
                    .when().post("/api/v1/instances/" + id + "/major-version").then().statusCode(400)
                    .body("code", equalTo("MissingParameter")).body("message", containsString("majorVersion is required"));
            assertEquals("6.0", Instances.get(id).getString("majorVersion"));

            // not Normal (a flush held by a paused node): the service's state error, and nothing changes
            String faultId = Instances.fault(id, Map.of("type", "pause_node", "target", Map.of("node", "master"),
                    "durationMs", 30_000)).getString("faultId");
            CompletableFuture<Response> flush = CompletableFuture.supplyAsync(
                    () -> Instances.given().post("/api/v1/instances/" + id + "/flush"));
            try {
                Instances.awaitStatus(id, "Flushing");
                TeaException busy = assertThrows(TeaException.class, () -> sdk.modifyInstanceMajorVersion(
                        new ModifyInstanceMajorVersionRequest().setInstanceId(id).setMajorVersion("7.0")));
                assertEquals("IncorrectDBInstanceState", busy.getCode());
                assertEquals(403, busy.getStatusCode());
                assertTrue(busy.getMessage().contains("Current DB instance state does not support this operation."),
                        busy.getMessage());
                Instances.given().contentType(ContentType.JSON).body(Map.of("majorVersion", "7.0"))
                        .when().post("/api/v1/instances/" + id + "/major-version").then().statusCode(409)
                        .body("code", equalTo("IncorrectDBInstanceState"));
            } finally {
                Instances.given().delete("/api/v1/faults/" + faultId).then().statusCode(204);
                flush.get(20, TimeUnit.SECONDS).then().statusCode(200);
            }
            assertEquals("6.0", Instances.get(id).getString("majorVersion"));
        } finally {
            Instances.awaitStatus(id, "Normal");
            Instances.delete(id);
        }
    }

    @Test
    void maintainTimeWaitsForTheWindowOnKvsimsClock() {
        var created = Instances.create(Map.of("instanceClass", "redis.basic.micro.default", "majorVersion", "6.0"));
        String id = created.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", created.getInt("port"))) {
            Instant opening = clock.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
            int hour = opening.atZone(ZoneOffset.UTC).getHour();
            Instances.given().contentType(ContentType.JSON).body(Map.of("maintainStartTime", String.format("%02d:00Z", hour),
                    "maintainEndTime", String.format("%02d:00Z", (hour + 1) % 24)))
                    .when().put("/api/v1/instances/" + id + "/maintenance-window").then().statusCode(200);
            Instances.given().contentType(ContentType.JSON).body(Map.of("majorVersion", "7.0", "effectiveTime", "MaintainTime"))
                    .when().post("/api/v1/instances/" + id + "/major-version").then().statusCode(202)
                    .body("status", equalTo("Scheduled")).body("executeAt", equalTo(opening.toString()));
            clock.advance(Duration.between(clock.now(), opening.minusSeconds(60)));
            assertEquals("6.0", Instances.get(id).getString("majorVersion"), "nothing changes before the window");
            assertThrows(JedisDataException.class, () -> j.getDel("k"));
            int events = Instances.eventCount(id);
            clock.advance(Duration.ofSeconds(61));
            Map<String, Object> upgraded = Instances.awaitEvent(id, "MajorVersionUpgraded", events);
            assertEquals("MaintainTime", upgraded.get("effectiveTime"));
            assertEquals("7.0", Instances.get(id).getString("majorVersion"));
            assertThrows(JedisConnectionException.class, () -> j.get("k"), "the connection was dropped once");
        }
        try (Jedis j = new Jedis("127.0.0.1", created.getInt("port"))) {
            j.set("k", "v");
            assertEquals("v", j.getDel("k"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void aClusterInstanceUpgradesAndItsClientsReconnectToTheNewVersion() {
        var created = Instances.create(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                "majorVersion", "5.0", "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        String id = created.getString("instanceId");
        int port = created.getInt("port");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("{a}k", "v");
            assertThrows(JedisDataException.class, () -> j.sendCommand(Protocol.Command.HELLO, "3"));
            Instances.given().contentType(ContentType.JSON).body(Map.of("majorVersion", "7.0"))
                    .when().post("/api/v1/instances/" + id + "/major-version?wait=true").then().statusCode(200)
                    .body("status", equalTo("Normal")).body("majorVersion", equalTo("7.0"));
            assertThrows(JedisConnectionException.class, () -> j.get("{a}k"), "the connection was dropped once");
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("v", j.getDel("{a}k"));
            assertInstanceOf(List.class, j.sendCommand(Protocol.Command.HELLO, "3"));
        } finally {
            Instances.delete(id);
        }
    }

    /** Polls DescribeInstanceAttribute (up to 20 s) until the instance is Normal with that EngineVersion. */
    private static String awaitVersion(Client sdk, String id, String version) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        var a = RkvClients.attribute(sdk, id);
        while (!("Normal".equals(a.getInstanceStatus()) && version.equals(a.getEngineVersion()))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " is " + a.getInstanceStatus() + " at " + a.getEngineVersion());
            }
            Thread.sleep(20);
            a = RkvClients.attribute(sdk, id);
        }
        return a.getEngineVersion();
    }

    /**
     * Writes w:0, w:1, … as fast as it can; a write is acknowledged when +OK comes back. When the connection drops
     * it counts a disconnect and reconnects, and records how long it was without an acknowledged write.
     */
    private static final class Writer implements Runnable {
        private final int port;
        final List<Integer> acked = Collections.synchronizedList(new ArrayList<>());
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final List<Long> gapsMs = Collections.synchronizedList(new ArrayList<>());
        volatile int disconnects;
        volatile boolean stop;

        Writer(int port) {
            this.port = port;
        }

        @Override
        public void run() {
            Jedis j = new Jedis("127.0.0.1", port);
            long lostAt = 0;
            for (int n = 0; !stop; n++) {
                try {
                    j.set("w:" + n, Integer.toString(n));
                    acked.add(n);
                    if (lostAt != 0) {
                        gapsMs.add((System.nanoTime() - lostAt) / 1_000_000);
                        lostAt = 0;
                    }
                } catch (JedisConnectionException e) {
                    // the write's fate is unknown: it does not count as acknowledged
                    if (lostAt == 0) {
                        disconnects++;
                        lostAt = System.nanoTime();
                    }
                    j.close();
                    j = new Jedis("127.0.0.1", port);
                } catch (JedisDataException e) {
                    errors.add(e.getMessage());
                }
            }
            j.close();
        }

        void awaitAcked(int count) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (acked.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + acked.size() + " writes acknowledged");
                }
                Instances.sleep(5);
            }
        }
    }
}
