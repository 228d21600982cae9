package dev.kvsim.sla;

import dev.kvsim.Instances;
import dev.kvsim.core.KvsimClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end on kvsim's clock, moved minute by minute: the probe, the proxy's records, causes and the report. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestProfile(SlaTestProfile.class)
class SlaAccountingTest {

    @Inject
    KvsimClock clock;

    @Inject
    SlaStore store;

    private static String month(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    }

    private static JsonPath sla(String id, String month) {
        return given().when().get("/api/v1/instances/" + id + "/sla?month=" + month).then().statusCode(200)
                .extract().jsonPath();
    }

    /** The next test class starts on real time (within this one, the clock only moves forward). */
    @AfterAll
    void putTheClockBack() {
        clock.resetForTests();
    }

    /** A connection attempt of a client: served (PONG) or not. */
    private static boolean attempt(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port, 2000)) {
            return "PONG".equals(j.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    /** Moves kvsim's clock to {@code at} (it only moves forward). */
    private void advanceTo(Instant at) {
        clock.advance(Duration.between(clock.now(), at));
    }

    /** Waits until the minutes kvsim's clock has passed are judged: the report shows that many. */
    private JsonPath awaitReport(String id, String month, String field, int expected) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonPath r = sla(id, month);
        while (r.getInt(field) != expected && System.nanoTime() < deadline) {
            Instances.sleep(20);
            r = sla(id, month);
        }
        return r;
    }

    @Test
    void refusedConnectionsMakeUnavailableMinutesAttributedToTheFault() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.1g.2017", "overrides", Map.of("memoryMb", 64)));
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        try {
            // three whole minutes down: the fault starts 5 s before a minute boundary and ends 3 minutes after it
            Instant b0 = clock.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
            String month = month(b0);
            advanceTo(b0.minusSeconds(30));
            assertTrue(attempt(port), "the minute before b0 is served until the fault");
            String faultId = Instances.fault(id, Map.of("type", "refuse_connections",
                    "startAt", b0.minusSeconds(5).toString(), "durationMs", 185_000)).getString("faultId");
            advanceTo(b0.minusSeconds(5));
            Instances.awaitFaultStatus(faultId, "Active");
            Instances.sleep(300);  // a probe already connected when the fault began ends in the minute before b0
            advanceTo(b0);
            for (int k = 0; k < 3; k++) {
                assertFalse(attempt(port), "minute " + k + " of the fault");
                clock.advance(Duration.ofMinutes(1));
            }
            Instances.awaitFaultStatus(faultId, "Ended");
            assertTrue(attempt(port), "the fault is over");
            clock.advance(Duration.ofMinutes(1));  // the minute after the fault is judged (available) too

            JsonPath r = awaitReport(id, month, "unavailableMinutes", 3);
            List<Map<String, Object>> minutes = r.getList("minutes");
            assertEquals(3, minutes.size(), "unavailable minutes: " + minutes);
            for (int k = 0; k < 3; k++) {
                assertEquals(b0.plus(Duration.ofMinutes(k)).toString(), minutes.get(k).get("minute"));
                assertEquals("fault", minutes.get(k).get("cause"));
                assertEquals(faultId + " refuse_connections", minutes.get(k).get("detail"));
            }
            assertEquals(3, r.getInt("unavailableMinutes"));
            assertEquals(0, r.getInt("excludedMinutes"));
            assertEquals(60, r.getInt("minuteLengthSeconds"));
            assertTrue(r.getBoolean("covered"));
            long period = r.getLong("periodMinutes");
            assertTrue(period >= 5 && period <= 7, "created 2 to 3 minutes before b0, judged up to b0 + 4: " + period);
            // three minutes down in a period of minutes: far below 95 %
            assertEquals(100, r.getInt("creditPercent"));
            assertEquals(200.0f, r.getFloat("creditAmount"), "100 % of the class's monthly fee");

            // an excluded fault: its minutes are listed but do not count
            Instant b1 = clock.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
            advanceTo(b1.minusSeconds(30));
            assertTrue(attempt(port));
            String excluded = Instances.fault(id, Map.of("type", "refuse_connections", "slaExcluded", true,
                    "startAt", b1.minusSeconds(5).toString(), "durationMs", 125_000)).getString("faultId");
            advanceTo(b1.minusSeconds(5));
            Instances.awaitFaultStatus(excluded, "Active");
            Instances.sleep(300);
            advanceTo(b1);
            for (int k = 0; k < 2; k++) {
                assertFalse(attempt(port));
                clock.advance(Duration.ofMinutes(1));
            }
            Instances.awaitFaultStatus(excluded, "Ended");
            assertTrue(attempt(port));
            clock.advance(Duration.ofMinutes(1));
            JsonPath after = awaitReport(id, month, "excludedMinutes", 2);
            assertEquals(3, after.getInt("unavailableMinutes"));
            assertEquals(2, after.getInt("excludedMinutes"));
            assertTrue(after.getBoolean("minutes[4].excluded"));
            assertEquals(2, store.rowCount(id), "stored compacted: one row per run of minutes with one cause");

            String csv = given().when().get("/api/v1/instances/" + id + "/sla?format=csv&month=" + month)
                    .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
            assertEquals(6, csv.split("\n").length, csv);
            assertTrue(csv.startsWith("minute,cause,detail,excluded\n"), csv);
            given().when().get("/api/v1/sla?format=csv&month=" + month).then().statusCode(200)
                    .body(containsString(id + "," + month + ",true,60,"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void singleReplicaInstancesAreNotCoveredAndAQuietInstanceIsFullyAvailable() {
        String id = Instances.createSingle().getString("instanceId");
        try {
            clock.advance(Duration.ofSeconds(150));
            JsonPath r = sla(id, month(clock.now()));
            assertFalse(r.getBoolean("covered"));
            assertEquals(0, r.getInt("creditPercent"));
            assertEquals(0, r.getInt("unavailableMinutes"));
            assertEquals(100.0f, r.getFloat("availabilityPercent"));
            assertEquals(2, r.getLong("periodMinutes"), "two and a half minutes of kvsim's time");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void badMonthsAndUnknownInstancesAreRefused() {
        given().when().get("/api/v1/sla?month=2026-13").then().statusCode(400)
                .body("message", containsString("month must be YYYY-MM"));
        given().when().get("/api/v1/instances/r-doesnotexist000000/sla").then().statusCode(404);
        given().when().get("/api/v1/sla?month=2020-01").then().statusCode(200);
    }
}
