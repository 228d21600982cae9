package dev.kvsim.sla;

import dev.kvsim.Instances;
import dev.kvsim.core.KvsimClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
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

/** End to end with one-second accounting minutes: the probe, the proxy's records, causes and the report. */
@QuarkusTest
@TestProfile(SlaTestProfile.class)
class SlaAccountingTest {

    @Inject
    KvsimClock clock;

    @Inject
    SlaStore store;

    private String month() {
        return YearMonth.from(clock.now().atZone(ZoneOffset.UTC)).toString();
    }

    private JsonPath sla(String id) {
        return given().when().get("/api/v1/instances/" + id + "/sla?month=" + month()).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void refusedConnectionsMakeUnavailableMinutesAttributedToTheFault() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.1g.2017", "overrides", Map.of("memoryMb", 64)));
        String id = i.getString("instanceId");
        try {
            // three whole one-second minutes: from 400 ms before a second boundary (room for a late timer) to 3 s after it
            long boundary = (clock.now().toEpochMilli() / 1000 + 2) * 1000;
            String faultId = Instances.fault(id, Map.of("type", "refuse_connections",
                    "startAt", Instant.ofEpochMilli(boundary - 400).toString(), "durationMs", 3400)).getString("faultId");
            Instances.sleep(boundary - clock.now().toEpochMilli() + 3000 + 1500);

            JsonPath r = sla(id);
            List<Map<String, Object>> minutes = r.getList("minutes");
            assertEquals(3, minutes.size(), "unavailable minutes: " + minutes);
            for (int k = 0; k < 3; k++) {
                assertEquals(Instant.ofEpochMilli(boundary + 1000L * k).toString(), minutes.get(k).get("minute"));
                assertEquals("fault", minutes.get(k).get("cause"));
                assertEquals(faultId + " refuse_connections", minutes.get(k).get("detail"));
            }
            assertEquals(3, r.getInt("unavailableMinutes"));
            assertEquals(0, r.getInt("excludedMinutes"));
            assertEquals(1, r.getInt("minuteLengthSeconds"));
            assertTrue(r.getBoolean("covered"));
            long period = r.getLong("periodMinutes");
            assertTrue(period >= 5, "the instance has existed for some seconds: " + period);
            // a few one-second minutes down in a period of seconds: far below 95 %
            assertEquals(100, r.getInt("creditPercent"));
            assertEquals(200.0f, r.getFloat("creditAmount"), "100 % of the class's monthly fee");

            // an excluded fault: its minutes are listed but do not count
            long next = (clock.now().toEpochMilli() / 1000 + 2) * 1000;
            Instances.fault(id, Map.of("type", "refuse_connections", "slaExcluded", true,
                    "startAt", Instant.ofEpochMilli(next - 400).toString(), "durationMs", 2400));
            Instances.sleep(next - clock.now().toEpochMilli() + 2000 + 1500);
            JsonPath after = sla(id);
            assertEquals(3, after.getInt("unavailableMinutes"));
            assertEquals(2, after.getInt("excludedMinutes"));
            assertTrue(after.getBoolean("minutes[4].excluded"));
            assertEquals(2, store.rowCount(id), "stored compacted: one row per run of minutes with one cause");

            String csv = given().when().get("/api/v1/instances/" + id + "/sla?format=csv&month=" + month())
                    .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
            assertEquals(6, csv.split("\n").length, csv);
            assertTrue(csv.startsWith("minute,cause,detail,excluded\n"), csv);
            given().when().get("/api/v1/sla?format=csv&month=" + month()).then().statusCode(200)
                    .body(containsString(id + "," + month() + ",true,1,"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void singleReplicaInstancesAreNotCoveredAndAQuietInstanceIsFullyAvailable() {
        String id = Instances.createSingle().getString("instanceId");
        try {
            Instances.sleep(2500);
            JsonPath r = sla(id);
            assertFalse(r.getBoolean("covered"));
            assertEquals(0, r.getInt("creditPercent"));
            assertEquals(0, r.getInt("unavailableMinutes"));
            assertEquals(100.0f, r.getFloat("availabilityPercent"));
            assertTrue(r.getLong("periodMinutes") >= 2);
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
