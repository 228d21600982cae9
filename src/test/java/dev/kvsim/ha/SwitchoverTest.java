package dev.kvsim.ha;

import dev.kvsim.Instances;
import dev.kvsim.core.KvsimClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Switchover on request (SwitchInstanceHA): both switch types, the maintenance-window mode, the read-only window. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SwitchoverTest {

    @Inject
    KvsimClock clock;

    /** The next test class starts on real time (within this one, the clock only moves forward). */
    @AfterAll
    void putTheClockBack() {
        clock.resetForTests();
    }

    private static JsonPath switchover(String id, Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/instances/" + id + "/switchover")
                .then().statusCode(status).extract().jsonPath();
    }

    @Test
    void availablePrioritySwapsRolesAndDropsConnections() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            j.set("k", "v");
            assertEquals(1L, j.waitReplicas(1, 2000));
            String oldMaster = Instances.master(id, 0);
            JsonPath done = switchover(id, Map.of("switchType", "AvailablePriority"), 200);
            assertEquals(oldMaster, done.getString("oldMaster"));
            assertEquals(0L, done.getLong("lostBytes"));
            assertNotEquals(oldMaster, Instances.master(id, 0));
            assertEquals("Normal", Instances.get(id).getString("status"));
            assertThrows(JedisException.class, () -> j.get("k"));
        }
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            assertEquals("v", j.get("k"));
            j.set("after", "1");
            assertEquals(1L, j.waitReplicas(1, 2000), "the old master now replicates the new one");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void reliabilityPriorityLosesNoAcknowledgedWrite() throws Exception {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    while (!stop.get()) {
                        String key = "w:" + n++;
                        j.set(key, "x");
                        acknowledged.add(key);
                    }
                } catch (JedisException e) {
                    // dropped by the switchover or refused while read-only: reconnect and go on
                }
            }
        });
        writer.start();
        try {
            Instances.sleep(200);
            JsonPath done = switchover(id, Map.of("switchType", "ReliabilityPriority"), 200);
            assertEquals(0L, done.getLong("lostBytes"));
            Instances.sleep(200);
        } finally {
            stop.set(true);
            writer.join(5000);
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertTrue(acknowledged.size() > 100, "the writer made progress: " + acknowledged.size());
            List<String> missing = new ArrayList<>();
            for (String key : new ArrayList<>(acknowledged)) {
                if (!j.exists(key)) {
                    missing.add(key);
                }
            }
            assertEquals(List.of(), missing, "acknowledged writes lost by a ReliabilityPriority switchover");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void availablePriorityWithReplicationLagLosesTheLagAndSaysExactlyWhat() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        int events = Instances.eventCount(id);
        JsonPath done;
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            j.set("old", "1");
            for (int k = 0; k < 10; k++) {
                j.incr("counter");
            }
            assertEquals(1L, j.waitReplicas(1, 2000));
            Instances.fault(id, Map.of("type", "break_replication", "durationMs", 60_000));
            for (int k = 0; k < 100; k++) {
                j.set("lagging:" + k, "x".repeat(100));
            }
            for (int k = 0; k < 20; k++) {
                assertEquals(11L + k, j.incr("counter"), "acknowledged by the master");
            }
            JsonPath refused = switchover(id, Map.of("switchType", "ReliabilityPriority"), 409);
            assertTrue(refused.getString("code").startsWith("SwitchFailed"), refused.prettify());
            done = switchover(id, Map.of("switchType", "AvailablePriority"), 200);
        }
        long lost = done.getLong("lostBytes");
        assertEquals(done.getLong("masterOffset") - done.getLong("replicaOffset"), lost, "offsets compared at one moment");
        // each SET is at least 130 bytes of replication stream, each INCR 30
        assertTrue(lost >= 100 * 130 + 20 * 30 && lost < 100 * 160 + 20 * 40, "lost bytes reported: " + lost);
        assertEquals(120, done.getInt("lostWrites"), "every acknowledged write the new master lacks");
        Map<String, Object> event = Instances.awaitEvent(id, "Switchover", events);
        assertEquals(120, event.get("lostWrites"));
        assertEquals((int) lost, event.get("lostBytes"));
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            assertEquals("1", j.get("old"));
            assertEquals(0L, j.exists("lagging:0", "lagging:99"), "what the replica had not received is gone");
            assertEquals("10", j.get("counter"));
            assertEquals(11L, j.incr("counter"), "an INCR reply repeats: the write that first answered 11 was lost");
        } finally {
            given().when().post("/api/v1/faults/reset").then().statusCode(200);
            Instances.delete(id);
        }
    }

    @Test
    void underAContinuousWriterAnAvailablePrioritySwitchLosesOnlyTheWritesItReports() throws Exception {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        List<Long> before = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> after = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean switched = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            // a replica still in its first sync would lose everything (offset 0): it has acknowledged a write first
            j.set("synced", "1");
            assertEquals(1L, j.waitReplicas(1, 20_000));
        }
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    while (!stop.get()) {
                        boolean late = switched.get();  // read before the INCR: a reply counts as after only if sent after
                        long v = j.incr("counter");
                        (late ? after : before).add(v);
                    }
                } catch (JedisException e) {
                    // dropped by the switchover: reconnect and go on
                }
            }
        });
        writer.start();
        JsonPath done;
        try {
            Instances.sleep(300);
            done = switchover(id, Map.of("switchType", "AvailablePriority", "readOnlyMs", 0), 200);
            switched.set(true);
            // Every lost INCR repeats a reply once the new master counts past it: write until they all have.
            long wanted = 50 + done.getLong("lostWrites");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (after.size() < wanted && System.nanoTime() < deadline) {
                Instances.sleep(20);
            }
        } finally {
            stop.set(true);
            writer.join(5000);
        }
        try {
            assertTrue(before.size() > 50 && after.size() >= 50, before.size() + " replies before, " + after.size() + " after");
            long lastBefore = before.stream().mapToLong(Long::longValue).max().orElseThrow();
            long repeated = after.stream().filter(v -> v <= lastBefore).count();
            // A reply repeats only for a write the new master lacks, as it would with a bare Redis replica promoted.
            assertEquals(done.getLong("lostWrites"), repeated, "repeated INCR replies: " + repeated + "; " + done.prettify());
            assertEquals(done.getLong("masterOffset") - done.getLong("replicaOffset"), done.getLong("lostBytes"));
            if (repeated == 0) {
                // nothing lost, nothing reported (at most a replication PING of 14 bytes, if one fell in the switch)
                assertTrue(done.getLong("lostBytes") <= 14, done.prettify());
            }
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void duringASwitchoverTheStatusIsHaSwitchingAndManagementCallsAreRefused() throws Exception {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try {
            String master = Instances.master(id, 0);
            // A paused replica stays connected but never catches up: the engine's FAILOVER waits out its timeout.
            Instances.fault(id, Map.of("type", "pause_node", "target", Map.of("node", "replica"), "durationMs", 60_000));
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
                j.set("k", "v");
            }
            java.util.concurrent.CompletableFuture<JsonPath> answer = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> switchover(id, Map.of("switchType", "ReliabilityPriority"), 409));
            Instances.awaitStatus(id, "HASwitching");
            given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/instances/" + id + "/flush")
                    .then().statusCode(409).body("code", equalTo("IncorrectDBInstanceState"))
                    .body("message", containsString("HASwitching"));
            given().contentType(ContentType.JSON).body(Map.of("maxmemory-policy", "noeviction"))
                    .when().patch("/api/v1/instances/" + id + "/parameters").then().statusCode(409);
            JsonPath failed = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("SwitchFailed.ReplicaLagging", failed.getString("code"));
            assertTrue(failed.getString("message").contains("nothing was switched"), failed.getString("message"));
            assertEquals("Normal", Instances.get(id).getString("status"));
            assertEquals(master, Instances.master(id, 0), "the roles did not change");
        } finally {
            given().when().post("/api/v1/faults/reset").then().statusCode(200);
            Instances.delete(id);
        }
    }

    @Test
    void writesAnswerReadonlyDuringTheReadOnlyWindow() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        switchover(id, Map.of("readOnlyMs", 1500), 200);
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.set("k", "v"));
            assertEquals("READONLY You can't write against a read only replica.", e.getMessage());
            assertEquals(null, j.get("k"), "reads work during the window");
            Instances.sleep(1700);
            assertEquals("OK", j.set("k", "v"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void singleReplicaInstancesCannotSwitchOver() {
        String id = Instances.createSingle().getString("instanceId");
        try {
            given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/instances/" + id + "/switchover")
                    .then().statusCode(400).body("code", equalTo("InvalidInstanceType.SingleReplica"))
                    .body("message", containsString("single-replica"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void badRequestsAreRefusedClearly() {
        String id = Instances.createDual().getString("instanceId");
        try {
            given().contentType(ContentType.JSON).body(Map.of("switchType", "Fastest"))
                    .when().post("/api/v1/instances/" + id + "/switchover")
                    .then().statusCode(400).body("message", containsString("AvailablePriority or ReliabilityPriority"));
            given().contentType(ContentType.JSON).body(Map.of("shard", 1))
                    .when().post("/api/v1/instances/" + id + "/switchover")
                    .then().statusCode(400).body("message", containsString("shard must be between 0 and 0"));
            given().contentType(ContentType.JSON).body(Map.of("maintainStartTime", "25:00Z", "maintainEndTime", "03:00Z"))
                    .when().put("/api/v1/instances/" + id + "/maintenance-window")
                    .then().statusCode(400).body("message", containsString("maintainStartTime"));
            given().contentType(ContentType.JSON).body(Map.of("maintainStartTime", "02:00Z", "maintainEndTime", "02:30Z"))
                    .when().put("/api/v1/instances/" + id + "/maintenance-window")
                    .then().statusCode(400).body("message", containsString("at least one hour"));
            given().contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/instances/r-doesnotexist000000/switchover")
                    .then().statusCode(404);
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void switchModeOneWaitsForTheMaintenanceWindow() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try {
            // a window starting between one and two hours from now (kvsim's clock)
            Instant opening = clock.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
            int hour = opening.atZone(ZoneOffset.UTC).getHour();
            String start = String.format("%02d:00Z", hour);
            String end = String.format("%02d:00Z", (hour + 1) % 24);
            given().contentType(ContentType.JSON).body(Map.of("maintainStartTime", start, "maintainEndTime", end))
                    .when().put("/api/v1/instances/" + id + "/maintenance-window").then().statusCode(200);
            String master = Instances.master(id, 0);
            JsonPath scheduled = switchover(id, Map.of("switchMode", 1), 202);
            assertEquals("Scheduled", scheduled.getString("status"));
            assertEquals(opening.toString(), scheduled.getString("executeAt"));
            clock.advance(Duration.between(clock.now(), opening.minusSeconds(60)));
            Instances.sleep(300);
            assertEquals(master, Instances.master(id, 0), "nothing switches before the window");
            int events = Instances.eventCount(id);
            clock.advance(Duration.ofSeconds(61));
            Instances.awaitEvent(id, "Switchover", events);
            assertNotEquals(master, Instances.master(id, 0));
        } finally {
            Instances.delete(id);
        }
    }
}
